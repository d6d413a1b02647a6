"""The pages of campaigns, by what they are about: campaigns.py, filings.py, structure.py."""
