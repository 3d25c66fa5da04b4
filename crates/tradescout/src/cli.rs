//! The command line, as fixed by CONTRACTS.md.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "tradescout",
    version,
    about = "Sales assistant for B2B exporters: inquiries, buyers, buying stages, coaching, insights"
)]
pub struct Cli {
    /// Database: sqlite:PATH (default: a file in the data directory) or postgres://…
    #[arg(long, global = true, env = "TRADESCOUT_DB")]
    pub db: Option<String>,
    /// Language of messages: zh-CN or en (default: from the locale)
    #[arg(long, global = true, env = "TRADESCOUT_LANG")]
    pub lang: Option<String>,
    /// Configuration file (TOML; default: config.toml in the config directory)
    #[arg(long, global = true, env = "TRADESCOUT_CONFIG")]
    pub config: Option<PathBuf>,
    /// More log output on stderr (-v, -vv)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Understand one inquiry or thread: buyer, request, buying stage, concerns, spam, next steps
    Analyze(AnalyzeArgs),
    /// Questions, next actions, catalogue matches and a proposal for one inquiry or thread
    Coach(CoachArgs),
    /// Store the product catalogue (CSV or XLSX) that `coach` and the web app match against
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Retrain the stage and spam models on the shipped corpus plus your own labeled examples
    Train(TrainArgs),
    /// AI reply draft in the buyer's language (needs an OpenAI-compatible endpoint)
    Draft(DraftArgs),
    /// Load deal history (CSV) and manage deals
    #[command(subcommand)]
    Deals(DealsCommand),
    /// Funnel, win/loss, four-factor decomposition of sales, lead-score quality
    Insights(InsightsArgs),
    /// Store .eml files, mbox files, Maildir folders or folders of those (idempotent)
    Import(ImportArgs),
    /// List stored threads, or show one
    Threads(ThreadsArgs),
    /// Work on one message: its new text or its signature
    #[command(subcommand)]
    Mail(MailCommand),
    /// Sync a mailbox into the store
    #[command(subcommand)]
    Sync(SyncCommand),
    /// Build a demo workspace (inquiries, catalogue, a year of deals, users) and serve it
    Demo(DemoArgs),
    /// The team web app
    Serve(ServeArgs),
    /// People who can sign in to the web app
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens for the JSON API
    #[command(subcommand)]
    Token(TokenCommand),
    /// Measure import and reply-splitting speed and memory on generated mail
    Bench(BenchArgs),
    /// Sanctions screening of one name against OFAC, UN and OpenSanctions list files
    Screen(ScreenArgs),
    /// Background check of a buyer: an email address, a domain, a URL or a company name
    Scout(ScoutArgs),
}

#[derive(Debug, Args)]
pub struct ScoutArgs {
    /// An email address, a domain, a URL or a quoted company name (looked up through
    /// `[search]` of the config file: SearXNG or Brave Search)
    pub target: String,
    #[arg(long, value_enum, default_value = "json")]
    pub format: JsonOrMd,
    /// Most pages to read from the buyer's site
    #[arg(long, default_value_t = 20)]
    pub max_pages: usize,
    /// Seconds allowed per request (the whole check gets six times as long; default 10)
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,
    #[command(flatten)]
    pub net: CheckNetworkArgs,
    /// A sanctions list file (repeatable; replaces `sanctions.lists` of the config file)
    #[arg(long = "sanctions", value_name = "PATH")]
    pub sanctions: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// The person's or company's name, in any script
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    pub name: Option<String>,
    /// Screen a batch (`-` for stdin): one name a line, `name,country` lines, or a CSV whose
    /// header names a `name` column (and optionally `country`); prints one JSON line per name,
    /// the lists loaded once
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// Country of the screened party (ISO code or name): entries of other countries score lower
    #[arg(long)]
    pub country: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
    /// A list file: OFAC sdn.csv, UN consolidated XML or OpenSanctions targets.simple.csv
    /// (repeatable; replaces `sanctions.lists` of the config file)
    #[arg(long = "sanctions", value_name = "PATH")]
    pub sanctions: Vec<PathBuf>,
    /// Report hits at or above this score, 0-1 (default: `sanctions.threshold`, else 0.88)
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Most hits shown
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Json,
    Md,
    Text,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Thread JSON, a message (.eml), an mbox, JSON Lines or plain text; `-` or nothing for stdin
    pub path: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "json")]
    pub format: ReportFormat,
    /// A mail domain of the seller's own company (repeatable; also `seller.domains` in the config)
    #[arg(long = "seller-domain")]
    pub seller_domains: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CoachArgs {
    /// Thread JSON, a message (.eml), an mbox, JSON Lines or plain text; `-` or nothing for stdin
    pub path: Option<PathBuf>,
    /// The product catalogue (.csv or .xlsx, first sheet) to match the buyer's need against
    /// (default: the catalogue stored with `tradescout catalog import`)
    #[arg(long)]
    pub catalog: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "json")]
    pub format: JsonOrMd,
    /// Language of the proposal: en, zh-CN, es, or `buyer` for the buyer's language where a
    /// template exists, English otherwise (default: the seller's language)
    #[arg(long)]
    pub reply_lang: Option<String>,
    /// A mail domain of the seller's own company (repeatable; also `seller.domains` in the config)
    #[arg(long = "seller-domain")]
    pub seller_domains: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Store products from a CSV or XLSX file (added or updated by SKU; bad rows are reported
    /// by row and column, the rest are kept)
    Import {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: TextOrJson,
    },
    /// List the stored products
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: TextOrJson,
        /// Most products shown (default: all)
        #[arg(long)]
        limit: Option<usize>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DealsCommand {
    /// Load deals from a CSV file (bad rows are reported by row and column; the rest are kept)
    Import {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: TextOrJson,
    },
    /// Move a deal to a buying stage (kept in its history with who and when)
    Stage {
        id: String,
        /// need_recognition, evaluation, concerns, decision or implementation
        stage: String,
        /// Who made the change (default: the user name from the environment)
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Close a deal as won or lost
    Close {
        id: String,
        /// won or lost
        outcome: String,
        /// Why it was lost (free text; reasons used before form the pick list)
        #[arg(long)]
        reason: Option<String>,
        /// Closing date (YYYY-MM-DD; default today)
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        amount: Option<f64>,
        #[arg(long)]
        currency: Option<String>,
        #[arg(long)]
        quantity: Option<f64>,
        #[arg(long)]
        by: Option<String>,
    },
    /// Show a deal's stage history
    History { id: String },
    /// List stored deals
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: TextOrJson,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

#[derive(Debug, Args)]
pub struct InsightsArgs {
    #[arg(long, value_enum, default_value = "json")]
    pub format: JsonOrMd,
    /// First day of creation dates looked at (YYYY-MM-DD); with --until, the decomposition's span
    #[arg(long)]
    pub since: Option<String>,
    /// Last day of creation dates looked at (YYYY-MM-DD)
    #[arg(long)]
    pub until: Option<String>,
    /// Also write the charts (SVG) into this folder
    #[arg(long)]
    pub charts: Option<PathBuf>,
    /// Exchange rates (CSV `currency,rate`: units of --base per unit) to convert amounts
    #[arg(long)]
    pub rates: Option<PathBuf>,
    /// The currency amounts are converted into with --rates
    #[arg(long, default_value = "USD")]
    pub base: String,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum JsonOrMd {
    Json,
    Md,
}

#[derive(Debug, Args)]
pub struct DraftArgs {
    /// Thread JSON, a message (.eml) or plain text; `-` or nothing for stdin
    pub path: Option<PathBuf>,
    /// Language of the reply (default: the buyer's)
    #[arg(long)]
    pub reply_lang: Option<String>,
    #[arg(long, value_enum, default_value = "json")]
    pub format: ReportFormat,
    #[arg(long = "seller-domain")]
    pub seller_domains: Vec<String>,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Labelled corpus files (JSON Lines: id, source, text, language, stage, concerns, spam)
    pub corpus: Vec<PathBuf>,
    /// Print held-out and external figures, before and after; keep the better model
    #[arg(long)]
    pub report: bool,
    /// Labelled sets to measure on (never trained on), e.g. real mail kept outside the repo
    #[arg(long)]
    pub measure: Vec<PathBuf>,
    /// Label corrections keyed by corpus id (JSON Lines: id, stage?, concerns?, spam?, reason)
    #[arg(long)]
    pub corrections: Vec<PathBuf>,
    /// Start from zero weights instead of the shipped ones (how the shipped weights are made)
    #[arg(long)]
    pub from_scratch: bool,
    /// Folder to write the trained model files to (default: the data directory's models/)
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Learn from the corrections people made in the web app (stored in the database),
    /// starting from the models in use; the newest corrected threads are held out to judge
    #[arg(long)]
    pub from_store: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TextOrJson {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files or folders to import
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
    /// Messages stored per transaction
    #[arg(long, default_value_t = 500)]
    pub batch: usize,
    /// Hide the progress bar
    #[arg(long)]
    pub quiet: bool,
    /// Your name as it appears in WhatsApp chat exports: those messages are the seller's
    #[arg(long, value_name = "NAME")]
    pub me: Option<String>,
}

#[derive(Debug, Args)]
pub struct ThreadsArgs {
    /// Show this thread with its messages
    pub id: Option<i64>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Print the new text of a message: quoted history removed
    Reply {
        /// A message (.eml) or a bare body; `-` or nothing for standard input
        path: Option<PathBuf>,
        /// Remove the sender's signature too
        #[arg(long)]
        no_signature: bool,
        /// Who sent it ("John Doe <john@example.com>", a name or an address), for a bare body;
        /// a message's own From header is used otherwise. A closing block naming the sender
        /// is their signature even without a sign-off
        #[arg(long = "from", value_name = "SENDER")]
        sender: Option<String>,
    },
    /// Print only the sender's signature block (nothing when there is none)
    Signature {
        /// A message (.eml) or a bare body; `-` or nothing for standard input
        path: Option<PathBuf>,
        /// Who sent it, as for `mail reply`
        #[arg(long = "from", value_name = "SENDER")]
        sender: Option<String>,
    },
    /// Print the earlier messages a forwarded or pasted thread carries, oldest first (JSON)
    History { path: Option<PathBuf> },
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Incremental, resumable IMAP sync
    Imap(ImapArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("security").args(["tls", "starttls", "plain"])))]
pub struct ImapArgs {
    #[arg(long)]
    pub host: String,
    /// Default: 993 with --tls, 143 otherwise
    #[arg(long)]
    pub port: Option<u16>,
    #[arg(long)]
    pub user: String,
    /// Name of the environment variable holding the password
    #[arg(long, value_name = "VAR")]
    pub password_env: String,
    /// Mailbox to sync (repeatable)
    #[arg(long = "mailbox", default_value = "INBOX")]
    pub mailboxes: Vec<String>,
    /// Implicit TLS (the default)
    #[arg(long)]
    pub tls: bool,
    /// Plain connection upgraded with STARTTLS
    #[arg(long)]
    pub starttls: bool,
    /// No encryption (only for a server on this machine or a trusted network)
    #[arg(long)]
    pub plain: bool,
    /// Also trust this CA certificate (PEM)
    #[arg(long)]
    pub ca_file: Option<PathBuf>,
    /// Messages fetched per round trip and stored per transaction
    #[arg(long, default_value_t = 200)]
    pub batch: usize,
    /// Seconds allowed for each network step
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to serve on
    #[arg(long, default_value = "127.0.0.1:7070")]
    pub bind: String,
    /// Mark session cookies Secure (when served over HTTPS or behind a TLS proxy)
    #[arg(long)]
    pub secure_cookies: bool,
    /// How background checks reach the network
    #[command(flatten)]
    pub net: CheckNetworkArgs,
}

/// Where a background check may go on the network (`scout`, `serve`, `demo`).
#[derive(Debug, Args)]
pub struct CheckNetworkArgs {
    /// Permit loopback, private and link-local addresses
    #[arg(long)]
    pub allow_private: bool,
    /// Connect to IP:PORT for DOMAIN instead of asking DNS (repeatable)
    #[arg(long, value_name = "DOMAIN=IP:PORT")]
    pub resolve: Vec<String>,
    /// RDAP server to ask instead of the IANA bootstrap
    #[arg(long, value_name = "URL")]
    pub rdap_base: Option<String>,
    /// Skip DNS and RDAP lookups
    #[arg(long)]
    pub no_network_lookups: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user who can sign in
    Add {
        name: String,
        /// admin, manager (the whole team) or rep (own buyers and deals only)
        #[arg(long, default_value = "rep")]
        role: String,
        /// Environment variable holding the password (at least 10 characters)
        #[arg(long, value_name = "VAR")]
        password_env: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for user NAME; printed once, stored hashed
    Add {
        name: String,
        /// What the token is for
        #[arg(long)]
        label: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Messages in the generated mbox
    #[arg(long, default_value_t = 100_000)]
    pub messages: usize,
    /// Messages split in the reply-splitting benchmark
    #[arg(long, default_value_t = 200_000)]
    pub split_messages: usize,
    /// Deals in the generated history for the insights benchmark
    #[arg(long, default_value_t = 1_000_000)]
    pub deals: usize,
    /// Threads stored for the web benchmark (three messages each)
    #[arg(long, default_value_t = 100_000)]
    pub threads: usize,
    /// Run only these benchmarks (import, split, insights, web, scout, screen; repeatable).
    /// `soak` (a busy team against a served database, with an import running) runs only
    /// when named here
    #[arg(long)]
    pub only: Vec<String>,
    /// Soak: concurrent client connections
    #[arg(long, default_value_t = 200)]
    pub connections: usize,
    /// Soak: seconds of load
    #[arg(long, default_value_t = 60)]
    pub seconds: u64,
    /// Also run the insights and web benchmarks on this PostgreSQL database (its deals table
    /// is used; the web benchmark stores its threads there, so give it an empty database)
    #[arg(long)]
    pub postgres: Option<String>,
    /// Keep the generated files in this folder instead of a temporary one
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Insights benchmark: when the database (a kept --dir, or --postgres) already holds at
    /// least --deals deals, time loading and insights on those instead of storing them again
    #[arg(long)]
    pub reuse_deals: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
}
