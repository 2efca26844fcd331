//! People and access: users, sessions, API tokens.

use crate::db;
use crate::db::Row;
use crate::sql::parse_stored;
use crate::sql::SqlStorage;
use crate::*;
use chrono::{DateTime, Utc};
use ramp_domain::role::Role;
use ramp_domain::Term;

const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.password_hash, u.principal_id, \
    u.unit_id, u.active, u.created_at, u.last_login_at, u.hsa_id";

impl SqlStorage {
    pub(super) async fn load_user(&self, row: Option<Row>) -> Result<Option<User>> {
        let Some(r) = row else { return Ok(None) };
        let id: i64 = r.try_get("id")?;
        let roles = db::query("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|x| parse_stored::<Role>("role", &x.try_get::<String, _>("role")?))
            .collect::<Result<Vec<_>>>()?;
        let competences = db::query("SELECT competence FROM user_competences WHERE user_id = $1 ORDER BY competence")
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|x| x.try_get::<String, _>("competence"))
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(User {
            id,
            username: r.try_get("username")?,
            display_name: r.try_get("display_name")?,
            password_hash: r.try_get("password_hash")?,
            principal_id: r.try_get("principal_id")?,
            unit_id: r.try_get("unit_id")?,
            active: r.try_get("active")?,
            created_at: r.try_get("created_at")?,
            last_login_at: r.try_get("last_login_at")?,
            roles,
            competences,
            hsa_id: r.try_get("hsa_id")?,
        }))
    }
}

pub(super) async fn create_user(this: &SqlStorage, u: &NewUser) -> Result<Id> {
    let mut tx = this.dialect.begin().await?;
    let id: i64 = db::query(
        "INSERT INTO users (username, display_name, password_hash, principal_id, unit_id, active, created_at, hsa_id) \
         VALUES ($1, $2, $3, $4, $5, TRUE, $6, $7) RETURNING id",
    )
    .bind(&u.username)
    .bind(&u.display_name)
    .bind(&u.password_hash)
    .bind(u.principal_id)
    .bind(u.unit_id)
    .bind(u.created_at)
    .bind(&u.hsa_id)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    for role in &u.roles {
        db::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(id)
            .bind(role.as_str())
            .execute(&mut *tx)
            .await?;
    }
    for c in &u.competences {
        db::query("INSERT INTO user_competences (user_id, competence) VALUES ($1, $2)")
            .bind(id)
            .bind(c)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}

pub(super) async fn user_by_username(this: &SqlStorage, username: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1");
    let row = db::query(&sql).bind(username).fetch_optional(&this.pool).await?;
    this.load_user(row).await
}

pub(super) async fn user_by_hsa_id(this: &SqlStorage, hsa_id: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.hsa_id = $1");
    let row = db::query(&sql).bind(hsa_id).fetch_optional(&this.pool).await?;
    this.load_user(row).await
}

pub(super) async fn user_by_id(this: &SqlStorage, id: Id) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
    let row = db::query(&sql).bind(id).fetch_optional(&this.pool).await?;
    this.load_user(row).await
}

pub(super) async fn record_login(this: &SqlStorage, user_id: Id, at: DateTime<Utc>) -> Result<()> {
    let _turn = this.dialect.write_turn().await;
    db::query("UPDATE users SET last_login_at = $1 WHERE id = $2").bind(at).bind(user_id).execute(&this.pool).await?;
    Ok(())
}

pub(super) async fn create_session(
    this: &SqlStorage,
    token_hash: &str,
    user_id: Id,
    at: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<()> {
    let _turn = this.dialect.write_turn().await;
    db::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(at)
        .bind(expires)
        .execute(&this.pool)
        .await?;
    Ok(())
}

pub(super) async fn session_user(this: &SqlStorage, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active"
    );
    let row = db::query(&sql).bind(token_hash).bind(now).fetch_optional(&this.pool).await?;
    this.load_user(row).await
}

pub(super) async fn delete_session(this: &SqlStorage, token_hash: &str) -> Result<()> {
    let _turn = this.dialect.write_turn().await;
    db::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&this.pool).await?;
    Ok(())
}

pub(super) async fn create_api_token(
    this: &SqlStorage,
    user_id: Id,
    name: &str,
    token_hash: &str,
    at: DateTime<Utc>,
) -> Result<Id> {
    let _turn = this.dialect.write_turn().await;
    db::query("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(user_id)
        .bind(name)
        .bind(token_hash)
        .bind(at)
        .fetch_one(&this.pool)
        .await?
        .try_get("id")
}

pub(super) async fn api_token_user(this: &SqlStorage, token_hash: &str) -> Result<Option<User>> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active"
    );
    let row = db::query(&sql).bind(token_hash).fetch_optional(&this.pool).await?;
    this.load_user(row).await
}
