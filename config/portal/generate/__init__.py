"""A realistic, reproducible data set at any scale (`manage.py generate_data`); see README, "Data at scale"."""
