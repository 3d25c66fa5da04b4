//! Passwords (argon2id), random secrets, and the hashes under which tokens and session ids
//! are stored — the store never holds a usable secret.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};

/// An argon2id PHC string for `password`.
pub fn hash_password(password: &str) -> Result<String, crate::WebError> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt)
        .map_err(|e| crate::WebError::Internal(format!("no randomness for a salt: {e}")))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| crate::WebError::Internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| crate::WebError::Internal(format!("hashing a password: {e}")))
}

/// Whether `password` matches the stored PHC string (`false` for a damaged hash).
pub fn verify_password(stored: &str, password: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(hash) => Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok(),
        Err(_) => false,
    }
}

/// 32 random bytes as 64 hex digits.
pub fn new_secret() -> Result<String, crate::WebError> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| crate::WebError::Internal(format!("no randomness: {e}")))?;
    Ok(hex(&bytes))
}

/// A new API token (`ts_…`, shown once) and the hash to store.
pub fn new_api_token() -> Result<(String, String), crate::WebError> {
    let token = format!("ts_{}", new_secret()?);
    let hash = digest(&token);
    Ok((token, hash))
}

/// SHA-256 of a secret as hex: how tokens and session ids are stored and looked up.
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Equal-time comparison, for tokens.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() -> Result<(), crate::WebError> {
        let hash = hash_password("correct horse")?;
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "correct horse"));
        assert!(!verify_password(&hash, "Correct horse"));
        assert!(!verify_password("not a hash", "correct horse"));
        Ok(())
    }

    #[test]
    fn tokens_are_random_and_stored_only_as_their_digest() -> Result<(), crate::WebError> {
        let (a, ha) = new_api_token()?;
        let (b, _) = new_api_token()?;
        assert_ne!(a, b);
        assert!(a.starts_with("ts_") && a.len() == 67);
        assert_eq!(ha, digest(&a));
        assert!(!ha.contains(&a[3..]));
        assert!(same(&ha, &digest(&a)) && !same(&ha, &digest(&b)));
        Ok(())
    }
}
