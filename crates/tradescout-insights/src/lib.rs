//! Why deals are won and lost, from the team's own history: the funnel by buying stage,
//! win rates and revenue by source, country, product and salesperson, cycle times, loss
//! reasons, the four-factor decomposition of sales (traffic × conversion × average price ×
//! quantity) between two periods, and a lead score learned from the history with its
//! measured accuracy.
//!
//! Pure functions over deals; reading the CSV format is here too (it is text, not I/O).

pub mod charts;
pub mod deal;
pub mod decomposition;
pub mod drivers;
pub mod figures;
pub mod lead_score;
pub mod money;
pub mod stats;

pub use deal::{parse_deals_csv, Deal, DealsCsvError, RowError};
pub use decomposition::{decompose, Decomposition, Period};
pub use drivers::{drivers, Driver};
pub use figures::{insights, Insights, InsightsOptions};
pub use lead_score::{train_lead_score, LeadScore, LeadScoreModel, LeadScoreReport};
pub use money::{convert, Conversion, Rates};
