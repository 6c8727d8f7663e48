"""Customer lifetime value: the BG/NBD repeat-purchase model and the Gamma-Gamma spend model.

numpy arrays in, dataclasses and arrays out; no Django, no Ibis. The engine computes each
account's frequency (repeat purchases), recency and age T (in weeks) through Ibis and calls:

- `bgnbd`           fit_bgnbd, probability_alive, expected_purchases (eq. 10 of Fader, Hardie &
                    Lee 2005), expected_purchases_if_alive, expected_purchases_new_account
- `gamma_gamma`     fit_gamma_gamma, expected_order_value
- `lifetime_value`  customer_lifetime_value (discounted)
- `checks`          check_bgnbd, compare_holdout, check_gamma_gamma: degenerate or poorly
                    calibrated fits, said in words, so the rhythm-based lapse rule can take over
- `simulate`        accounts drawn from the models (tests, benchmarks)
"""

from openkam.analytics.clv.bgnbd import (
    BgNbdFit,
    expected_purchases,
    expected_purchases_if_alive,
    expected_purchases_new_account,
    fit_bgnbd,
    probability_alive,
)
from openkam.analytics.clv.checks import (
    HoldoutComparison,
    ModelCheck,
    check_bgnbd,
    check_gamma_gamma,
    compare_holdout,
)
from openkam.analytics.clv.gamma_gamma import GammaGammaFit, expected_order_value, fit_gamma_gamma
from openkam.analytics.clv.lifetime_value import customer_lifetime_value

__all__ = [
    "BgNbdFit",
    "GammaGammaFit",
    "HoldoutComparison",
    "ModelCheck",
    "check_bgnbd",
    "check_gamma_gamma",
    "compare_holdout",
    "customer_lifetime_value",
    "expected_order_value",
    "expected_purchases",
    "expected_purchases_if_alive",
    "expected_purchases_new_account",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "probability_alive",
]
