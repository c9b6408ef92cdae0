"""The B2B schedule builder: the slots of a session, the CP-SAT solver, the reasons in words, and the
services that build, adjust and publish a session's plan."""
