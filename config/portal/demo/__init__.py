"""The demo data set: five real press releases transcribed into rows, and the code that loads them.

`data.py` holds the facts as the texts state them; `loader.py` writes them through the services.
Nothing here reads the press releases at run time.
"""
