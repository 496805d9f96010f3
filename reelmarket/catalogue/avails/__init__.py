"""The rights & avails algebra: pure Python, no Django import.

``media`` holds the media-rights vocabulary, ``territories`` the territory vocabulary
(ISO 3166-1 countries and named groups), ``algebra`` answers availability questions.
"""
