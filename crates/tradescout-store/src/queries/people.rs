//! Users, API tokens and browser sessions.

use super::{q, Db};
use crate::model::*;
use crate::{Result, StoreError};
use sqlx::{Pool, Row};

const USER_COLUMNS: &str = "id, name, role, password_hash, lang, disabled, created_at";

/// [`USER_COLUMNS`] of the users table under `alias`, for joins.
fn user_columns_of(alias: &str) -> String {
    USER_COLUMNS
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn user_from_row(row: &<Db as sqlx::Database>::Row) -> Result<User> {
    let role: String = row.try_get("role").map_err(q("read user"))?;
    let disabled: i64 = row.try_get("disabled").map_err(q("read user"))?;
    Ok(User {
        id: row.try_get("id").map_err(q("read user"))?,
        name: row.try_get("name").map_err(q("read user"))?,
        role: role.parse().map_err(|reason| StoreError::Corrupt {
            what: "users",
            reason,
        })?,
        password_hash: row.try_get("password_hash").map_err(q("read user"))?,
        lang: row.try_get("lang").map_err(q("read user"))?,
        disabled: disabled != 0,
        created_at: row.try_get("created_at").map_err(q("read user"))?,
    })
}

pub(crate) async fn create_user(pool: &Pool<Db>, user: &NewUser) -> Result<i64> {
    let taken = sqlx::query("SELECT id FROM users WHERE name = $1")
        .bind(&user.name)
        .fetch_optional(pool)
        .await
        .map_err(q("look up user"))?;
    if taken.is_some() {
        return Err(StoreError::Conflict {
            what: "user",
            reason: format!("the name `{}` is taken", user.name),
        });
    }
    sqlx::query(
        "INSERT INTO users (name, role, password_hash, lang, disabled, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5) RETURNING id",
    )
    .bind(&user.name)
    .bind(user.role.as_str())
    .bind(&user.password_hash)
    .bind(&user.lang)
    .bind(now())
    .fetch_one(pool)
    .await
    .map_err(q("create user"))?
    .try_get("id")
    .map_err(q("create user"))
}

pub(crate) async fn user_by_name(pool: &Pool<Db>, name: &str) -> Result<Option<User>> {
    sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = $1"))
        .bind(name)
        .fetch_optional(pool)
        .await
        .map_err(q("find user"))?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

pub(crate) async fn user(pool: &Pool<Db>, id: i64) -> Result<Option<User>> {
    sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(q("find user"))?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

pub(crate) async fn list_users(pool: &Pool<Db>) -> Result<Vec<User>> {
    sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"))
        .fetch_all(pool)
        .await
        .map_err(q("list users"))?
        .iter()
        .map(user_from_row)
        .collect()
}

pub(crate) async fn set_user_lang(pool: &Pool<Db>, id: i64, lang: &str) -> Result<()> {
    sqlx::query("UPDATE users SET lang = $1 WHERE id = $2")
        .bind(lang)
        .bind(id)
        .execute(pool)
        .await
        .map_err(q("set user language"))?;
    Ok(())
}

pub(crate) async fn update_user(pool: &Pool<Db>, id: i64, c: &crate::UserChange) -> Result<bool> {
    let mut tx = pool
        .begin_with(super::super::BEGIN_WRITE)
        .await
        .map_err(q("begin user change"))?;
    let exists = sqlx::query("SELECT id FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(q("find user"))?
        .is_some();
    if !exists {
        return Ok(false);
    }
    if let Some(role) = c.role {
        sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(q("change role"))?;
    }
    if let Some(disabled) = c.disabled {
        sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(q("disable user"))?;
    }
    if let Some(hash) = &c.password_hash {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(q("reset password"))?;
        // A reset password ends the sessions opened with the old one.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(q("end sessions"))?;
    }
    tx.commit().await.map_err(q("commit user change"))?;
    Ok(true)
}

pub(crate) async fn add_api_token(
    pool: &Pool<Db>,
    user_id: i64,
    token_hash: &str,
    label: &str,
) -> Result<i64> {
    sqlx::query(
        "INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(token_hash)
    .bind(label)
    .bind(now())
    .fetch_one(pool)
    .await
    .map_err(q("add API token"))?
    .try_get("id")
    .map_err(q("add API token"))
}

pub(crate) async fn user_by_token(pool: &Pool<Db>, token_hash: &str) -> Result<Option<User>> {
    let row = sqlx::query(&format!(
        "SELECT {} , t.id AS token_id FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND u.disabled = 0",
        user_columns_of("u")
    ))
    .bind(token_hash)
    .fetch_optional(pool)
    .await
    .map_err(q("find API token"))?;
    let Some(row) = row else { return Ok(None) };
    let token_id: i64 = row.try_get("token_id").map_err(q("read API token"))?;
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now())
        .bind(token_id)
        .execute(pool)
        .await
        .map_err(q("note API token use"))?;
    user_from_row(&row).map(Some)
}

pub(crate) async fn create_session(
    pool: &Pool<Db>,
    id_hash: &str,
    user_id: i64,
    data: &serde_json::Value,
    expires_at: &str,
) -> Result<()> {
    let now = now();
    // Expired sessions are swept as new ones are made.
    sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
        .bind(&now)
        .execute(pool)
        .await
        .map_err(q("sweep sessions"))?;
    sqlx::query(
        "INSERT INTO sessions (id, user_id, data, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(data.to_string())
    .bind(&now)
    .bind(expires_at)
    .execute(pool)
    .await
    .map_err(q("create session"))?;
    Ok(())
}

pub(crate) async fn session(pool: &Pool<Db>, id_hash: &str) -> Result<Option<SessionRecord>> {
    let row = sqlx::query(&format!(
        "SELECT {}, s.data AS session_data, s.expires_at AS session_expires \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id = $1 AND s.expires_at > $2 AND u.disabled = 0",
        user_columns_of("u")
    ))
    .bind(id_hash)
    .bind(now())
    .fetch_optional(pool)
    .await
    .map_err(q("find session"))?;
    let Some(row) = row else { return Ok(None) };
    let data: String = row.try_get("session_data").map_err(q("read session"))?;
    Ok(Some(SessionRecord {
        user: user_from_row(&row)?,
        data: serde_json::from_str(&data).map_err(|e| StoreError::Corrupt {
            what: "sessions",
            reason: e.to_string(),
        })?,
        expires_at: row.try_get("session_expires").map_err(q("read session"))?,
    }))
}

pub(crate) async fn delete_session(pool: &Pool<Db>, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(id_hash)
        .execute(pool)
        .await
        .map_err(q("delete session"))?;
    Ok(())
}

pub(crate) async fn setting(pool: &Pool<Db>, key: &str) -> Result<Option<String>> {
    sqlx::query("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(pool)
        .await
        .map_err(q("read setting"))?
        .map(|r| r.try_get("value").map_err(q("read setting")))
        .transpose()
}

pub(crate) async fn set_setting(pool: &Pool<Db>, key: &str, value: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(pool)
    .await
    .map_err(q("write setting"))?;
    Ok(())
}

pub(crate) async fn login_failures(pool: &Pool<Db>, key: &str, since: i64) -> Result<i64> {
    sqlx::query("SELECT COUNT(*) AS n FROM login_failures WHERE key = $1 AND at >= $2")
        .bind(key)
        .bind(since)
        .fetch_one(pool)
        .await
        .map_err(q("count sign-in failures"))?
        .try_get("n")
        .map_err(q("count sign-in failures"))
}

pub(crate) async fn record_login_failure(
    pool: &Pool<Db>,
    keys: &[String],
    at: i64,
    forget_before: i64,
) -> Result<()> {
    let mut tx = pool
        .begin_with(super::super::BEGIN_WRITE)
        .await
        .map_err(q("begin sign-in failure"))?;
    sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(forget_before)
        .execute(&mut *tx)
        .await
        .map_err(q("forget old sign-in failures"))?;
    for key in keys {
        sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
            .bind(key)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(q("record sign-in failure"))?;
    }
    tx.commit().await.map_err(q("commit sign-in failure"))
}

pub(crate) async fn clear_login_failures(pool: &Pool<Db>, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(key)
        .execute(pool)
        .await
        .map_err(q("clear sign-in failures"))?;
    Ok(())
}
