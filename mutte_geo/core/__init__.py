"""Foundation: errors, paths, language and number formatting. Imports nothing of the package."""
