//! What the buyer asks for: products (name, model, quantity, unit, specs), target price,
//! Incoterm, destination, payment terms, certifications and deadline.
//!
//! Only the buyer's messages are read, newest first: a value from a newer message overrides
//! an older one; certifications add up. Signatures and quoted history are skipped, and only the
//! first 64 KB of a message are scanned.

mod certifications;
mod deadline;
mod destination;
pub(crate) mod lexicon;
mod models;
mod numbers;
pub(crate) mod places;
mod price;
mod products;
mod quantity;
mod specs;
mod table;
mod terms;
pub(crate) mod text;
mod vocab;

use crate::input::ThreadInput;
use crate::types::{Product, Request};

/// What the buyer asks for across the thread.
pub fn extract_request(thread: &ThreadInput) -> Request {
    let mut req = Request::default();
    // A newer message with a quantity or specs but no product word ("make it 1000 pcs").
    let mut unnamed: Option<Product> = None;
    for msg in thread.buyer_messages().rev() {
        let own = text::own_text(msg);
        let (body, _) = crate::buyer::split_signature(own, msg.signature.as_deref());
        let nums = numbers::scan(body);
        let hits = vocab::scan(body);
        if req.products.is_empty() {
            let mut found =
                products::extract_with(body, msg.subject.as_deref(), &nums, &hits).products;
            if found.len() == 1 && found[0].name.is_empty() {
                unnamed = unnamed.or(found.pop());
            } else if !found.is_empty() {
                if let (Some(newer), Some(first)) = (unnamed.take(), found.first_mut()) {
                    if newer.quantity.is_some() {
                        first.quantity = newer.quantity;
                        first.unit = newer.unit;
                    }
                    first.specs.extend(newer.specs);
                }
                req.products = found;
            }
        }
        if req.target_price.is_none() || req.budget.is_none() {
            let found = price::prices_in(body, &nums);
            req.target_price = req.target_price.take().or(found.target);
            req.budget = req.budget.take().or(found.budget);
        }
        if req.incoterm.is_none() {
            req.incoterm = terms::incoterm(&hits);
        }
        if req.destination.is_none() {
            req.destination = destination::destination(body);
        }
        if req.payment_terms.is_none() {
            req.payment_terms = terms::payment_terms(body, &hits);
        }
        certifications::collect(&hits, &mut req.certifications);
        if req.deadline.is_none() {
            req.deadline = deadline::deadline(body, &hits, text::message_date(msg));
        }
    }
    if req.products.is_empty() {
        req.products.extend(unnamed);
    }
    req
}
