"""Word documents the bot writes (letters), built with python-docx."""
