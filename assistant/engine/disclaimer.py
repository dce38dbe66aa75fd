"""The words every result, report and screen carries (kept tiny: the start screen imports
it before the engine loads)."""

DISCLAIMER = ("Decision support for clinicians, not a prescription. Doses are quoted as "
              "published (often for one child); check every dose against a current formulary "
              "and local protocol.")
# the same in one line of a narrow terminal (the result screen; F1 and the report say it all)
DISCLAIMER_LINE = "Decision support, not a prescription: check each dose against a formulary."
