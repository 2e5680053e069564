#!/usr/bin/python3

"""
    validatepassword.py

    MediaWiki Action API Code Samples
    Demo of `Validatepassword` module: Validate a password against the wiki's password policies.
    MIT license
"""

import requests

URL = "{{API_URL}}"

S = requests.Session()

PARAMS = {
    "action": "validatepassword",
    "format": "json",
    "password": "",
}

R = S.post(URL, data=PARAMS)
DATA = R.json()

print(DATA)
