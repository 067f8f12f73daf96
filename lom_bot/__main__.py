"""`python -m lom_bot`: the same command line as `lom-bot`."""

from lom_bot.cli import main

if __name__ == "__main__":
    main()
