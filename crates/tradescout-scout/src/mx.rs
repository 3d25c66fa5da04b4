//! Whether a mail domain accepts mail at all: its MX records, asked through the system's
//! resolver configuration.

use hickory_resolver::Resolver;

/// `Ok(true)` when MX records exist, `Ok(false)` when the domain has none (or does not
/// exist), `Err` with the reason when DNS could not be asked.
pub async fn has_mx(domain: &str) -> Result<bool, String> {
    let resolver = Resolver::builder_tokio()
        .map_err(|e| format!("no DNS resolver configured: {e}"))?
        .build();
    let name = format!("{}.", domain.trim_end_matches('.'));
    match resolver.mx_lookup(name).await {
        Ok(found) => Ok(found.iter().next().is_some()),
        Err(e) if e.is_no_records_found() || e.is_nx_domain() => Ok(false),
        Err(e) => Err(format!("MX lookup for {domain} failed: {e}")),
    }
}
