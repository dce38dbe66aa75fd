"""The words every result, report and screen carries (kept tiny: the start screen imports
it before the engine loads)."""

DISCLAIMER = ("Decision support for clinicians, not a prescription. Doses are quoted as "
              "published (often for one child); check every dose against a current formulary "
              "and local protocol.")
