"""Reading a Russian press release: Natasha's NER and morphology plus rules, resolved against the directory."""
