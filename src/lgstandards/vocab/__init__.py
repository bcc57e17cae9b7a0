"""The controlled lists (LGSL, LGIL, functions, LGNL, tiers, transactions) as typed look-ups."""
