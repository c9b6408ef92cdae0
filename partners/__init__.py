"""Partners: suggestions of complementary companies, meeting requests, and the B2B schedule builder."""
