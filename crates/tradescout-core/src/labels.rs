//! The product's label sets (see PRODUCT.md): buying stages, concerns, business types.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Error for a label that is not one of a label set's names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a known {set}; expected one of: {expected}")]
pub struct UnknownLabel {
    pub set: &'static str,
    pub value: String,
    pub expected: String,
}

macro_rules! label_set {
    ($(#[$meta:meta])* $name:ident, $set:literal, { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $label)] $variant),+
        }

        impl $name {
            /// Every label of the set, in the set's natural order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The label exactly as used in JSON, the database and the UI.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownLabel;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = s.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|l| l.as_str().eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| UnknownLabel {
                        set: $set,
                        value: s.to_string(),
                        expected: $name::ALL.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", "),
                    })
            }
        }
    };
}

label_set!(
    /// The buyer's phase in the buying cycle, earliest first.
    Stage, "stage", {
        NeedRecognition => "need_recognition",
        Evaluation => "evaluation",
        Concerns => "concerns",
        Decision => "decision",
        Implementation => "implementation",
    }
);

label_set!(
    /// What the buyer cares about now.
    Concern, "concern", {
        Price => "price",
        Quality => "quality",
        DeliveryTime => "delivery_time",
        Moq => "moq",
        Certification => "certification",
        PaymentTerms => "payment_terms",
        Samples => "samples",
        Customization => "customization",
        ShippingLogistics => "shipping_logistics",
        WarrantyAfterSales => "warranty_after_sales",
        Packaging => "packaging",
        SupplierCredibility => "supplier_credibility",
    }
);

label_set!(
    /// What kind of business a buyer is.
    BusinessType, "business type", {
        Importer => "importer",
        Distributor => "distributor",
        Wholesaler => "wholesaler",
        Retailer => "retailer",
        BrandOwner => "brand_owner",
        Manufacturer => "manufacturer",
        TradingCompany => "trading_company",
        Contractor => "contractor",
        EndUser => "end_user",
        Agent => "agent",
        Service => "service",
        Unknown => "unknown",
    }
);

label_set!(
    /// What kind of mailbox an address belongs to.
    EmailKind, "email kind", {
        Company => "company",
        Free => "free",
        Disposable => "disposable",
        Unknown => "unknown",
    }
);

label_set!(
    /// How a deal ended, or that it has not.
    Outcome, "outcome", {
        Won => "won",
        Lost => "lost",
        Open => "open",
    }
);

impl Stage {
    /// Position in the buying cycle, 0 for `need_recognition`.
    pub fn index(self) -> usize {
        Stage::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// The words or facts that caused a judgement, and where they were found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The quoted words or the fact.
    pub text: String,
    /// Where it was found: a message position, a header name, a URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_labels_round_trip_through_json_and_text() {
        for stage in Stage::ALL {
            let json = serde_json::to_string(stage).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", stage.as_str()));
            assert_eq!(stage.as_str().parse::<Stage>().ok(), Some(*stage));
        }
        assert_eq!(Stage::ALL.len(), 5);
        assert_eq!(Concern::ALL.len(), 12);
    }

    #[test]
    fn unknown_label_error_names_the_value_and_the_set() {
        let err = "haggling".parse::<Concern>().err().map(|e| e.to_string());
        let msg = err.unwrap_or_default();
        assert!(msg.contains("haggling") && msg.contains("concern") && msg.contains("price"));
    }

    #[test]
    fn stages_are_ordered_along_the_buying_cycle() {
        assert!(Stage::NeedRecognition < Stage::Evaluation);
        assert!(Stage::Decision < Stage::Implementation);
        assert_eq!(Stage::Concerns.index(), 2);
    }
}
