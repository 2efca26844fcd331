//! `ramp user add`, and `ramp token add`, `list` and `revoke`.

use crate::{db, CliError, Config};
use clap::{Args, Subcommand};
use ramp_app::users::AddUser;
use ramp_app::{App, AppConfig, SystemClock};
use std::io::BufRead;
use std::sync::Arc;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is read from stdin (one line), never from the command line;
    /// with `--hsa-id --no-password` the account logs in only through the region's identity provider.
    Add(AddUserArgs),
}

#[derive(Debug, Args)]
pub struct AddUserArgs {
    #[arg(long)]
    pub username: String,
    /// The user's full name.
    #[arg(long)]
    pub name: String,
    /// The principal the user belongs to: `region` or a municipality code.
    #[arg(long, default_value = "region")]
    pub principal: String,
    /// A role (repeatable): prescriber, unit_orderer, personal_orderer_health, personal_orderer_social,
    /// customer_service, warehouse, technician, consultant, finance, admin.
    #[arg(long = "role", required = true)]
    pub roles: Vec<String>,
    /// A competence (product area the user may prescribe in; repeatable).
    #[arg(long = "competence")]
    pub competences: Vec<String>,
    /// The user's HSA id (e.g. SE2321000016-15CQ): an OIDC login whose HSA-id claim has this value is this user.
    #[arg(long)]
    pub hsa_id: Option<String>,
    /// No local password (stdin is not read): the account logs in only through the identity provider.
    #[arg(long, requires = "hsa_id")]
    pub no_password: bool,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for an integration; prints the token once.
    Add {
        #[arg(long)]
        username: String,
        /// What the token is for.
        #[arg(long)]
        name: String,
    },
    /// List a user's API tokens (id, name, created, revoked); never their secrets.
    List {
        #[arg(long)]
        username: String,
    },
    /// Revoke an API token by its id (see `ramp token list`); it stops working at once.
    Revoke {
        /// The token's id.
        id: i64,
    },
}

async fn app(config: &Config) -> Result<App, CliError> {
    let storage = db::open_migrated(config).await?;
    Ok(App::new(storage, Arc::new(SystemClock), AppConfig::default()))
}

pub async fn run_user(cmd: UserCommand, config: &Config) -> Result<(), CliError> {
    let UserCommand::Add(a) = cmd;
    let password = if a.no_password {
        None
    } else {
        let mut password = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut password)
            .map_err(|e| CliError::input(format!("password: cannot read stdin: {e}")))?;
        Some(password.trim_end_matches(['\r', '\n']).to_string())
    };
    let app = app(config).await?;
    let id = ramp_app::users::add_user(
        &app,
        AddUser {
            username: a.username.clone(),
            display_name: a.name,
            password,
            principal: a.principal,
            roles: a.roles,
            competences: a.competences,
            hsa_id: a.hsa_id,
        },
    )
    .await?;
    println!("user '{}' created (id {id})", a.username);
    Ok(())
}

pub async fn run_token(cmd: TokenCommand, config: &Config) -> Result<(), CliError> {
    let app = app(config).await?;
    match cmd {
        TokenCommand::Add { username, name } => {
            let token = ramp_app::auth::create_api_token(&app, &username, &name).await?;
            println!("{token}");
            eprintln!("store this token now; it is not shown again");
        }
        TokenCommand::List { username } => {
            for t in ramp_app::auth::api_tokens_of(&app, &username).await? {
                let revoked =
                    t.revoked_at.map_or_else(|| "live".to_string(), |at| format!("revoked {}", at.to_rfc3339()));
                println!("{}\t{}\tcreated {}\t{revoked}", t.id, t.name, t.created_at.to_rfc3339());
            }
        }
        TokenCommand::Revoke { id } => {
            ramp_app::auth::revoke_api_token(&app, id).await?;
            println!("token {id} revoked");
        }
    }
    Ok(())
}
