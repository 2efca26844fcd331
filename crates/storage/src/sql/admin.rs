//! Administration: [`AdminStore`] for [`SqlStorage`] — the listings of
//! the admin pages, `admin_audit`, and [`AdminWork`], the unit of work the
//! admin use-cases compose (one statement per operation, deciding nothing).

use super::rows::{article_from, customer_number_from, principal_from, product_area_from};
use super::{like_escape, parse_stored, search_text, SqlStorage, ARTICLE_COLUMNS};
use crate::cache::StaticCache;
use crate::db::{self, Connection, QueryBuilder, Row};
use crate::write_tx::WriteTx;
use crate::*;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::role::Role;
use ramp_domain::Term;
use std::collections::HashMap;
use std::sync::Arc;

/// A unit (`u`) with its delivery address (`ua`, joined by the caller).
const UNIT_COLUMNS: &str = "u.id, u.principal_id, u.hsa_id, u.name, u.kind, u.customer_number_id, u.active, \
    u.delivery_route, ua.street, ua.postal_code, ua.city";
const UNITS: &str = "units u LEFT JOIN unit_addresses ua ON ua.unit_id = u.id";
const USER_COLUMNS: &str =
    "id, username, display_name, password_hash, principal_id, unit_id, active, created_at, last_login_at, hsa_id";
const TOKEN_COLUMNS: &str = "t.id, t.user_id, u.username, t.name, t.created_at, t.revoked_at";
const CHANGE_COLUMNS: &str = "c.id, c.occurred_at, c.actor_user_id, u.username AS actor_username, c.entity, \
    c.entity_id, c.action, c.outcome, c.before_json, c.after_json, c.request_id";

fn unit_record_from(r: &Row) -> Result<UnitRecord> {
    Ok(UnitRecord {
        id: r.try_get("id")?,
        principal_id: r.try_get("principal_id")?,
        hsa_id: r.try_get("hsa_id")?,
        name: r.try_get("name")?,
        kind: r.try_get("kind")?,
        customer_number_id: r.try_get("customer_number_id")?,
        active: r.try_get("active")?,
        delivery_route: r.try_get("delivery_route")?,
        address: match (r.try_get("street")?, r.try_get("postal_code")?, r.try_get("city")?) {
            (Some(street), Some(postal_code), Some(city)) => {
                Some(UnitAddress { unit_id: r.try_get("id")?, street, postal_code, city })
            }
            _ => None,
        },
    })
}

/// Replaces the unit's delivery address (none: removed).
async fn set_unit_address(tx: &mut WriteTx, unit_id: Id, a: Option<&UnitAddress>) -> Result<()> {
    db::query("DELETE FROM unit_addresses WHERE unit_id = $1").bind(unit_id).execute(&mut **tx).await?;
    if let Some(a) = a {
        db::query("INSERT INTO unit_addresses (unit_id, street, postal_code, city) VALUES ($1, $2, $3, $4)")
            .bind(unit_id)
            .bind(&a.street)
            .bind(&a.postal_code)
            .bind(&a.city)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

fn token_from(r: &Row) -> Result<TokenRecord> {
    Ok(TokenRecord {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        username: r.try_get("username")?,
        name: r.try_get("name")?,
        created_at: r.try_get("created_at")?,
        revoked_at: r.try_get("revoked_at")?,
    })
}

fn change_from(r: &Row) -> Result<AdminChange> {
    Ok(AdminChange {
        id: r.try_get("id")?,
        occurred_at: r.try_get("occurred_at")?,
        actor_user_id: r.try_get("actor_user_id")?,
        actor_username: r.try_get("actor_username")?,
        entity: super::stored(r, "entity")?,
        entity_id: r.try_get("entity_id")?,
        action: r.try_get("action")?,
        outcome: super::stored(r, "outcome")?,
        before: r.try_get("before_json")?,
        after: r.try_get("after_json")?,
        request_id: r.try_get("request_id")?,
    })
}

/// Users of the rows with their roles and competences: three statements
/// for any number of users.
async fn users_from(conn: &mut Connection, rows: &[Row]) -> Result<Vec<UserRecord>> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let ids = rows.iter().map(|r| r.try_get::<i64, _>("id")).collect::<Result<Vec<_>>>()?;
    let mut roles: HashMap<Id, Vec<Role>> = HashMap::new();
    let mut b = QueryBuilder::new("SELECT user_id, role FROM user_roles WHERE user_id IN (");
    let mut list = b.separated(", ");
    for id in &ids {
        list.push_bind(*id);
    }
    b.push(") ORDER BY user_id, role");
    for r in b.build().fetch_all(&mut *conn).await? {
        let role = parse_stored::<Role>("role", &r.try_get::<String, _>("role")?)?;
        roles.entry(r.try_get("user_id")?).or_default().push(role);
    }
    let mut competences: HashMap<Id, Vec<CompetencePeriod>> = HashMap::new();
    let mut b =
        QueryBuilder::new("SELECT user_id, competence, valid_from, valid_to FROM user_competences WHERE user_id IN (");
    let mut list = b.separated(", ");
    for id in &ids {
        list.push_bind(*id);
    }
    b.push(") ORDER BY user_id, competence");
    for r in b.build().fetch_all(&mut *conn).await? {
        competences.entry(r.try_get("user_id")?).or_default().push(CompetencePeriod {
            competence: r.try_get("competence")?,
            valid_from: r.try_get("valid_from")?,
            valid_to: r.try_get("valid_to")?,
        });
    }
    rows.iter()
        .map(|r| {
            let id: Id = r.try_get("id")?;
            Ok(UserRecord {
                id,
                username: r.try_get("username")?,
                display_name: r.try_get("display_name")?,
                principal_id: r.try_get("principal_id")?,
                unit_id: r.try_get("unit_id")?,
                active: r.try_get("active")?,
                created_at: r.try_get("created_at")?,
                last_login_at: r.try_get("last_login_at")?,
                has_password: r.try_get::<Option<String>, _>("password_hash")?.is_some(),
                hsa_id: r.try_get("hsa_id")?,
                roles: roles.remove(&id).unwrap_or_default(),
                competences: competences.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

async fn one_user(conn: &mut Connection, select: db::Query<'_>) -> Result<Option<UserRecord>> {
    let rows = select.fetch_all(&mut *conn).await?;
    Ok(users_from(conn, &rows).await?.pop())
}

async fn insert_change(conn: &mut Connection, c: &NewAdminChange) -> Result<Id> {
    db::query(
        "INSERT INTO admin_audit (occurred_at, actor_user_id, entity, entity_id, action, outcome, before_json, \
         after_json, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(c.occurred_at)
    .bind(c.actor_user_id)
    .bind(c.entity.as_str())
    .bind(c.entity_id)
    .bind(&c.action)
    .bind(c.outcome.as_str())
    .bind(&c.before)
    .bind(&c.after)
    .bind(&c.request_id)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")
}

#[async_trait]
impl AdminStore for SqlStorage {
    async fn admin_work(&self) -> Result<Box<dyn AdminWork>> {
        Ok(Box::new(SqlAdminWork { tx: self.dialect.begin().await?, cache: self.cache.clone() }))
    }

    async fn append_admin_change(&self, c: &NewAdminChange) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        let id = insert_change(&mut tx, c).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn admin_changes(&self, q: &ChangeQuery) -> Result<Vec<AdminChange>> {
        let mut b = QueryBuilder::new(format!(
            "SELECT {CHANGE_COLUMNS} FROM admin_audit c LEFT JOIN users u ON u.id = c.actor_user_id WHERE 1 = 1"
        ));
        if let Some(e) = q.entity {
            b.push(" AND c.entity = ").push_bind(e.as_str());
        }
        if let Some(id) = q.entity_id {
            b.push(" AND c.entity_id = ").push_bind(id);
        }
        if let Some(id) = q.actor_user_id {
            b.push(" AND c.actor_user_id = ").push_bind(id);
        }
        if let Some(a) = &q.action {
            b.push(" AND c.action = ").push_bind(a.clone());
        }
        if let Some(o) = q.outcome {
            b.push(" AND c.outcome = ").push_bind(o.as_str());
        }
        if let Some(from) = q.from {
            b.push(" AND c.occurred_at >= ").push_bind(from);
        }
        if let Some(to) = q.to {
            b.push(" AND c.occurred_at < ").push_bind(to);
        }
        if let Some(before) = q.before_id {
            b.push(" AND c.id < ").push_bind(before);
        }
        b.push(" ORDER BY c.id DESC LIMIT ").push_bind(q.limit.clamp(1, 500));
        b.build().fetch_all(&self.pool).await?.iter().map(change_from).collect()
    }

    async fn customer_numbers(&self) -> Result<Vec<CustomerNumber>> {
        db::query("SELECT id, number, principal_id, name FROM customer_numbers ORDER BY number")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(customer_number_from)
            .collect()
    }

    async fn unit_records(&self, principal_id: Option<Id>) -> Result<Vec<UnitRecord>> {
        let sql = format!(
            "SELECT {UNIT_COLUMNS} FROM {UNITS} WHERE ($1 IS NULL OR u.principal_id = $1) ORDER BY u.name, u.id"
        );
        db::query(&sql).bind(principal_id).fetch_all(&self.pool).await?.iter().map(unit_record_from).collect()
    }

    async fn user_records(&self, q: &UserQuery) -> Result<Vec<UserRecord>> {
        let mut b = QueryBuilder::new(format!("SELECT {USER_COLUMNS} FROM users WHERE 1 = 1"));
        if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let pattern = format!("%{}%", like_escape(&text.to_lowercase()));
            b.push(" AND (LOWER(username) LIKE ").push_bind(pattern.clone()).push(" ESCAPE '\\'");
            b.push(" OR LOWER(display_name) LIKE ").push_bind(pattern).push(" ESCAPE '\\')");
        }
        if let Some(active) = q.active {
            b.push(" AND active = ").push_bind(active);
        }
        if let Some(unit) = q.unit_id {
            b.push(" AND unit_id = ").push_bind(unit);
        }
        b.push(" ORDER BY username LIMIT ").push_bind(q.limit.clamp(1, 500));
        b.push(" OFFSET ").push_bind(q.offset.max(0));
        let mut conn = self.pool.acquire().await?;
        let rows = b.build().fetch_all(&mut *conn).await?;
        users_from(&mut conn, &rows).await
    }

    async fn user_record(&self, id: Id) -> Result<Option<UserRecord>> {
        let mut conn = self.pool.acquire().await?;
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        one_user(&mut conn, db::query(&sql).bind(id)).await
    }

    async fn token_records(&self, q: &TokenQuery) -> Result<Vec<TokenRecord>> {
        let mut b = QueryBuilder::new(format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE 1 = 1"
        ));
        if let Some(user) = q.user_id {
            b.push(" AND t.user_id = ").push_bind(user);
        }
        if !q.include_revoked {
            b.push(" AND t.revoked_at IS NULL");
        }
        b.push(" ORDER BY t.id DESC LIMIT ").push_bind(q.limit.clamp(1, 500));
        b.build().fetch_all(&self.pool).await?.iter().map(token_from).collect()
    }

    async fn suppliers(&self) -> Result<Vec<Supplier>> {
        db::query("SELECT id, name FROM suppliers ORDER BY name")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok(Supplier { id: r.try_get("id")?, name: r.try_get("name")? }))
            .collect()
    }

    async fn inactive_user_ids(&self, cutoff: DateTime<Utc>) -> Result<Vec<Id>> {
        db::query("SELECT id FROM users WHERE active AND COALESCE(last_login_at, created_at) < $1 ORDER BY id")
            .bind(cutoff)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get("id"))
            .collect()
    }

    async fn any_user_with_role(&self, role: Role) -> Result<bool> {
        let row = db::query("SELECT user_id FROM user_roles WHERE role = $1 LIMIT 1")
            .bind(role.as_str())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    async fn competence_valid_on(&self, user_id: Id, competence: &str, day: NaiveDate) -> Result<bool> {
        let row = db::query(
            "SELECT user_id FROM user_competences WHERE user_id = $1 AND competence = $2 \
             AND (valid_from IS NULL OR valid_from <= $3) AND (valid_to IS NULL OR valid_to >= $3)",
        )
        .bind(user_id)
        .bind(competence)
        .bind(day)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }
}

/// An administrative change's transaction.
pub struct SqlAdminWork {
    tx: WriteTx,
    cache: Arc<StaticCache>,
}

#[async_trait]
impl AdminWork for SqlAdminWork {
    async fn commit(self: Box<Self>) -> Result<()> {
        let SqlAdminWork { tx, cache } = *self;
        tx.commit().await?;
        cache.invalidate();
        Ok(())
    }

    async fn record(&mut self, c: &NewAdminChange) -> Result<Id> {
        insert_change(&mut self.tx, c).await
    }

    async fn principal(&mut self, id: Id) -> Result<Option<Principal>> {
        db::query("SELECT id, code, name, kind, municipality_code, basic_equipment_since FROM principals WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(principal_from)
            .transpose()
    }

    async fn principal_by_code(&mut self, code: &str) -> Result<Option<Principal>> {
        db::query(
            "SELECT id, code, name, kind, municipality_code, basic_equipment_since FROM principals WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(&mut *self.tx)
        .await?
        .as_ref()
        .map(principal_from)
        .transpose()
    }

    async fn insert_principal(&mut self, p: &NewPrincipal) -> Result<Id> {
        db::query("INSERT INTO principals (code, name, kind, municipality_code) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(&p.code)
            .bind(&p.name)
            .bind(&p.kind)
            .bind(&p.municipality_code)
            .fetch_one(&mut *self.tx)
            .await?
            .try_get("id")
    }

    async fn update_principal(&mut self, id: Id, name: &str, municipality_code: Option<&str>) -> Result<bool> {
        let done = db::query("UPDATE principals SET name = $1, municipality_code = $2 WHERE id = $3")
            .bind(name)
            .bind(municipality_code)
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_basic_equipment_since(&mut self, id: Id, since: Option<NaiveDate>) -> Result<bool> {
        let done =
            db::query("UPDATE principals SET basic_equipment_since = $1 WHERE id = $2 AND kind = 'municipality'")
                .bind(since)
                .bind(id)
                .execute(&mut *self.tx)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn customer_number(&mut self, id: Id) -> Result<Option<CustomerNumber>> {
        db::query("SELECT id, number, principal_id, name FROM customer_numbers WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(customer_number_from)
            .transpose()
    }

    async fn insert_customer_number(&mut self, principal_id: Id, number: &str, name: &str) -> Result<Id> {
        db::query("INSERT INTO customer_numbers (number, principal_id, name) VALUES ($1, $2, $3) RETURNING id")
            .bind(number)
            .bind(principal_id)
            .bind(name)
            .fetch_one(&mut *self.tx)
            .await?
            .try_get("id")
    }

    async fn update_customer_number(&mut self, id: Id, name: &str) -> Result<bool> {
        let done = db::query("UPDATE customer_numbers SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn unit(&mut self, id: Id) -> Result<Option<UnitRecord>> {
        let sql = format!("SELECT {UNIT_COLUMNS} FROM {UNITS} WHERE u.id = $1");
        db::query(&sql).bind(id).fetch_optional(&mut *self.tx).await?.as_ref().map(unit_record_from).transpose()
    }

    async fn insert_unit(&mut self, principal_id: Id, hsa_id: &str, f: &UnitFields) -> Result<Id> {
        let id: Id = db::query(
            "INSERT INTO units (principal_id, hsa_id, name, kind, customer_number_id, active, delivery_route) \
             VALUES ($1, $2, $3, $4, $5, TRUE, $6) RETURNING id",
        )
        .bind(principal_id)
        .bind(hsa_id)
        .bind(&f.name)
        .bind(&f.kind)
        .bind(f.customer_number_id)
        .bind(f.delivery_route.as_deref())
        .fetch_one(&mut *self.tx)
        .await?
        .try_get("id")?;
        set_unit_address(&mut self.tx, id, f.address.as_ref()).await?;
        Ok(id)
    }

    async fn update_unit(&mut self, id: Id, f: &UnitFields) -> Result<bool> {
        let done = db::query(
            "UPDATE units SET name = $1, kind = $2, customer_number_id = $3, delivery_route = $4 WHERE id = $5",
        )
        .bind(&f.name)
        .bind(&f.kind)
        .bind(f.customer_number_id)
        .bind(f.delivery_route.as_deref())
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        set_unit_address(&mut self.tx, id, f.address.as_ref()).await?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_unit_active(&mut self, id: Id, active: bool) -> Result<bool> {
        let done = db::query("UPDATE units SET active = $1 WHERE id = $2 AND active <> $1")
            .bind(active)
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn user(&mut self, id: Id) -> Result<Option<UserRecord>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        one_user(&mut self.tx, db::query(&sql).bind(id)).await
    }

    async fn user_by_username(&mut self, username: &str) -> Result<Option<UserRecord>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
        one_user(&mut self.tx, db::query(&sql).bind(username)).await
    }

    async fn insert_user(&mut self, a: &NewAccount) -> Result<Id> {
        db::query(
            "INSERT INTO users (username, display_name, password_hash, principal_id, unit_id, active, created_at, hsa_id) \
             VALUES ($1, $2, $3, $4, $5, TRUE, $6, $7) RETURNING id",
        )
        .bind(&a.username)
        .bind(&a.display_name)
        .bind(&a.password_hash)
        .bind(a.principal_id)
        .bind(a.unit_id)
        .bind(a.created_at)
        .bind(&a.hsa_id)
        .fetch_one(&mut *self.tx)
        .await?
        .try_get("id")
    }

    async fn set_user_active(&mut self, id: Id, active: bool) -> Result<bool> {
        let done = db::query("UPDATE users SET active = $1 WHERE id = $2 AND active <> $1")
            .bind(active)
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn deactivate_if_unused_since(&mut self, id: Id, cutoff: DateTime<Utc>) -> Result<bool> {
        let done = db::query(
            "UPDATE users SET active = FALSE WHERE id = $1 AND active AND COALESCE(last_login_at, created_at) < $2",
        )
        .bind(id)
        .bind(cutoff)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_sessions(&mut self, user_id: Id) -> Result<u64> {
        let done = db::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *self.tx).await?;
        Ok(done.rows_affected())
    }

    async fn set_roles(&mut self, user_id: Id, roles: &[Role]) -> Result<()> {
        db::query("DELETE FROM user_roles WHERE user_id = $1").bind(user_id).execute(&mut *self.tx).await?;
        for role in roles {
            db::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                .bind(user_id)
                .bind(role.as_str())
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    async fn set_user_unit(&mut self, user_id: Id, unit_id: Option<Id>) -> Result<bool> {
        let done = db::query("UPDATE users SET unit_id = $1 WHERE id = $2")
            .bind(unit_id)
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_competences(&mut self, user_id: Id, competences: &[CompetencePeriod]) -> Result<()> {
        db::query("DELETE FROM user_competences WHERE user_id = $1").bind(user_id).execute(&mut *self.tx).await?;
        for c in competences {
            db::query(
                "INSERT INTO user_competences (user_id, competence, valid_from, valid_to) VALUES ($1, $2, $3, $4)",
            )
            .bind(user_id)
            .bind(&c.competence)
            .bind(c.valid_from)
            .bind(c.valid_to)
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(())
    }

    async fn token(&mut self, id: Id) -> Result<Option<TokenRecord>> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1");
        db::query(&sql).bind(id).fetch_optional(&mut *self.tx).await?.as_ref().map(token_from).transpose()
    }

    async fn revoke_token(&mut self, id: Id, at: DateTime<Utc>) -> Result<bool> {
        let done = db::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(at)
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn article(&mut self, article_number: &str) -> Result<Option<Article>> {
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a JOIN suppliers s ON s.id = a.supplier_id WHERE a.article_number = $1"
        );
        db::query(&sql).bind(article_number).fetch_optional(&mut *self.tx).await?.as_ref().map(article_from).transpose()
    }

    async fn insert_article(&mut self, a: &ArticleDraft) -> Result<Id> {
        let supplier = supplier_id(&mut self.tx, &a.supplier).await?;
        db::query(
            "INSERT INTO articles (article_number, iso_code, gtin, name, search_text, supplier_id, \
             purchase_price_ore, monthly_rent_ore, kind, billing, lead_time_class, service_life_months, \
             reconditionable, product_area, valid_from, valid_to) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
        )
        .bind(&a.article_number)
        .bind(a.iso_code.as_str())
        .bind(&a.gtin)
        .bind(&a.name)
        .bind(search_text(&a.name, &a.article_number, a.iso_code.as_str()))
        .bind(supplier)
        .bind(a.purchase_price_ore)
        .bind(a.monthly_rent_ore)
        .bind(a.kind.as_str())
        .bind(a.billing.as_str())
        .bind(a.lead_time_class.as_str())
        .bind(a.service_life_months)
        .bind(a.reconditionable)
        .bind(&a.product_area)
        .bind(a.valid_from)
        .bind(a.valid_to)
        .fetch_one(&mut *self.tx)
        .await?
        .try_get("id")
    }

    async fn update_article(&mut self, id: Id, a: &ArticleDraft) -> Result<bool> {
        let supplier = supplier_id(&mut self.tx, &a.supplier).await?;
        let done = db::query(
            "UPDATE articles SET iso_code = $1, gtin = $2, name = $3, search_text = $4, supplier_id = $5, \
             purchase_price_ore = $6, monthly_rent_ore = $7, kind = $8, billing = $9, lead_time_class = $10, \
             service_life_months = $11, reconditionable = $12, product_area = $13, valid_from = $14, valid_to = $15 \
             WHERE id = $16",
        )
        .bind(a.iso_code.as_str())
        .bind(&a.gtin)
        .bind(&a.name)
        .bind(search_text(&a.name, &a.article_number, a.iso_code.as_str()))
        .bind(supplier)
        .bind(a.purchase_price_ore)
        .bind(a.monthly_rent_ore)
        .bind(a.kind.as_str())
        .bind(a.billing.as_str())
        .bind(a.lead_time_class.as_str())
        .bind(a.service_life_months)
        .bind(a.reconditionable)
        .bind(&a.product_area)
        .bind(a.valid_from)
        .bind(a.valid_to)
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn article_details(&mut self, article_id: Id) -> Result<Option<ArticleDetails>> {
        let row = db::query("SELECT technical_data, handbook_text FROM article_details WHERE article_id = $1")
            .bind(article_id)
            .fetch_optional(&mut *self.tx)
            .await?;
        let Some(r) = row else { return Ok(None) };
        let json: String = r.try_get("technical_data")?;
        let technical_data =
            serde_json::from_str(&json).map_err(|e| StorageError::corrupt(format!("technical_data: {e}")))?;
        Ok(Some(ArticleDetails { article_id, technical_data, handbook_text: r.try_get("handbook_text")? }))
    }

    async fn put_article_details(&mut self, d: &ArticleDetails) -> Result<()> {
        db::query(
            "INSERT INTO article_details (article_id, technical_data, handbook_text) VALUES ($1, $2, $3) \
             ON CONFLICT (article_id) DO UPDATE SET technical_data = excluded.technical_data, \
             handbook_text = excluded.handbook_text",
        )
        .bind(d.article_id)
        .bind(super::product::technical_json(&d.technical_data))
        .bind(&d.handbook_text)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn product_areas(&mut self) -> Result<Vec<ProductArea>> {
        db::query("SELECT code, name_sv, name_en, required_competence, drug_adjacent, agreement_area FROM product_areas ORDER BY code")
            .fetch_all(&mut *self.tx)
            .await?
            .iter()
            .map(product_area_from)
            .collect()
    }

    async fn insert_product_area(&mut self, a: &ProductArea) -> Result<()> {
        db::query(
            "INSERT INTO product_areas (code, name_sv, name_en, required_competence, drug_adjacent, agreement_area) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&a.code)
        .bind(&a.name_sv)
        .bind(&a.name_en)
        .bind(&a.required_competence)
        .bind(a.drug_adjacent)
        .bind(a.agreement_area.as_str())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn update_product_area(&mut self, code: &str, agreement_area: &str, drug_adjacent: bool) -> Result<()> {
        db::query("UPDATE product_areas SET agreement_area = $1, drug_adjacent = $2 WHERE code = $3")
            .bind(agreement_area)
            .bind(drug_adjacent)
            .bind(code)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}

/// The supplier's id, the supplier created when new.
async fn supplier_id(conn: &mut Connection, name: &str) -> Result<Id> {
    db::query("INSERT INTO suppliers (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .execute(&mut *conn)
        .await?;
    db::query("SELECT id FROM suppliers WHERE name = $1").bind(name).fetch_one(&mut *conn).await?.try_get("id")
}
