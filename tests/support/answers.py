"""A complete, valid consult used as the starting point of many tests."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

BASE: dict[str, Any] = {
    "age_years": 9,
    "sex": "female",
    "weight_kg": 28,
    "height_cm": 132,
    "diagnosis": "jdm",
    "calcinosis_context": ["none"],
    "red_flags": ["none"],
    "muscle_weakness": "mild",
    "skin_activity": "active",
    "cmas": "unknown",
    "mmt8": "unknown",
    "physician_global": "unknown",
    "calcinosis_pattern": "superficial",
    "calcinosis_extent": "multiple",
    "calcinosis_sites": ["elbows", "knees"],
    "lesion_size_cm": 2,
    "calcinosis_ulcerated": False,
    "lesion_necrosis_sinus": False,
    "calcinosis_infected": False,
    "calcinosis_painful": True,
    "calcinosis_function_limited": False,
    "calcinosis_progressing": True,
    "esr": "30 mm/h",
    "crp": 4,
    "ck": 450,
    "ldh": "unknown",
    "calcium": "2.3 mmol/L",
    "albumin": "38 g/L",
    "phosphate": 4.5,
    "vitamin_d": "unknown",
    "egfr": 110,
    "hemoglobin": "118 g/L",
    "platelets": "380000/mm3",
    "steroid_toxicity": ["cushingoid"],
    "prior_treatments": [
        {"drug": "prednisolone", "response": "partial", "duration": "over_6_months",
         "side_effects": "cushingoid", "current": True},
        {"drug": "methotrexate", "response": "partial", "duration": "over_6_months",
         "side_effects": "none", "current": True},
    ],
    "iv_access": True,
    "biologics_available": "unknown",
}


def base(**changes: Any) -> dict[str, Any]:
    """The base answers with some replaced (a value of None removes the answer)."""
    out = deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out
