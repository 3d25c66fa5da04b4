//! What we do not know yet about the buyer's need, read off an analysis.

use serde::Deserialize;
use tradescout_core::analysis::Analysis;
use tradescout_core::Concern;

/// A fact about the deal that a good question uncovers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gap {
    /// What the product will be used for, where, in what conditions.
    Application,
    /// How many, how often.
    Quantity,
    /// Target price or budget.
    Budget,
    /// Who decides and who else is involved.
    DecisionMakers,
    /// When the goods are needed.
    Timeline,
    /// Who supplies them now and what is wrong with it.
    CurrentSupplier,
    /// Who the buyer sells to (the end customer and market).
    EndCustomer,
    /// Where the goods go (country, port, Incoterm).
    Destination,
    /// Which certificates the market requires.
    Certifications,
}

/// The gaps of this analysis, most important first.
pub fn known_gaps(a: &Analysis) -> Vec<Gap> {
    let r = &a.request;
    let mut gaps = Vec::new();
    // The seed's lesson: the application behind the spec comes first.
    let has_application = a.concerns.iter().any(|c| c.label == Concern::Customization)
        || r.products
            .iter()
            .any(|p| p.specs.contains_key("application"));
    if !has_application {
        gaps.push(Gap::Application);
    }
    if r.products.iter().all(|p| p.quantity.is_none()) {
        gaps.push(Gap::Quantity);
    }
    if r.target_price.is_none() {
        gaps.push(Gap::Budget);
    }
    if r.deadline.is_none() {
        gaps.push(Gap::Timeline);
    }
    if r.destination
        .as_ref()
        .and_then(|d| d.country.as_ref())
        .is_none()
        && r.incoterm.is_none()
    {
        gaps.push(Gap::Destination);
    }
    if r.certifications.is_empty() {
        gaps.push(Gap::Certifications);
    }
    gaps.push(Gap::CurrentSupplier);
    gaps.push(Gap::EndCustomer);
    gaps.push(Gap::DecisionMakers);
    gaps
}
