//! Quickstart: walk one user through create → get → list → ban → unban → metadata → delete.
//!
//! With `CLERK_SECRET_KEY` set (and optionally `CLERK_API_URL`), it talks to that Clerk instance.
//! Without it, it starts a local stand-in of the Users API on 127.0.0.1 inside this process, so
//! it runs on a machine with no account and no network.
//!
//! ```text
//! cargo run -p clerk-backend-ureq --example quickstart
//! ```

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clerk_backend_ureq::users::{
    BanUser, CreateUser, DeleteUser, GetUser, GetUserList, UnbanUser, UpdateUserMetadata,
};
use clerk_backend_ureq::{Client, Config, Error};
use serde_json::json;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("quickstart failed: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Error> {
    let secret_set = std::env::var("CLERK_SECRET_KEY").is_ok_and(|k| !k.trim().is_empty());
    // Keeps the stand-in alive until the end of `run` when there is one.
    let (client, _standin) = if secret_set {
        let config = Config::from_env()?;
        println!("Using the Clerk instance at {}", config.base_url());
        (Client::new(config), None)
    } else {
        let key = "sk_test_quickstart_local_standin";
        let standin = clerk_backend_testkit::users::UsersStandIn::start(key).map_err(|e| {
            Error::Transport(clerk_backend_ureq::TransportError::new(
                clerk_backend_ureq::TransportErrorKind::Connect,
                format!("could not start the local stand-in: {e}"),
            ))
        })?;
        let config = Config::new(key)?.with_base_url(&standin.url())?;
        println!(
            "CLERK_SECRET_KEY is not set: using a local stand-in of the Users API at {}",
            config.base_url()
        );
        (Client::new(config), Some(standin))
    };

    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let email = format!("quickstart+clerk_test_{stamp}@example.com");

    println!("1. create  a user with {email}");
    let user = client.send(
        &CreateUser::new()
            .email_address([email.as_str()])
            .first_name("Ada")
            .last_name("Lovelace")
            .skip_password_requirement(true)
            .public_metadata(json!({"source": "quickstart"})),
    )?;
    println!(
        "   created {} ({:?} {:?})",
        user.id, user.first_name, user.last_name
    );

    // Whatever happens next, try to delete the user we made.
    let outcome = walk(&client, &user.id, &email);
    println!("7. delete  {}", user.id);
    let deleted = client.send(&DeleteUser::new(&user.id))?;
    println!("   deleted: {}", deleted.deleted);
    outcome?;
    println!("Done.");
    Ok(())
}

fn walk(client: &Client, id: &str, email: &str) -> Result<(), Error> {
    println!("2. get     {id}");
    let user = client.send(&GetUser::new(id))?;
    let primary = user
        .email_addresses
        .first()
        .map(|e| e.email_address.as_str())
        .unwrap_or("-");
    println!("   {} has primary email {primary}", user.id);

    println!("3. list    users with that email address");
    let mut found = 0;
    for listed in client.pages(GetUserList::new().email_address([email]).limit(10)) {
        let listed = listed?;
        println!("   found {} created at {}", listed.id, listed.created_at);
        found += 1;
    }
    println!("   {found} user(s)");

    println!("4. ban     {id}");
    match client.send(&BanUser::new(id)) {
        Ok(user) => {
            println!("   banned: {}", user.banned);
            println!("5. unban   {id}");
            let user = client.send(&UnbanUser::new(id))?;
            println!("   banned: {}", user.banned);
        }
        // Banning needs a paid plan on real Clerk instances; the walk goes on without it.
        Err(error) if error.status().is_some_and(|s| s.as_u16() == 402) => {
            println!("   skipped: this instance's plan does not include banning ({error})");
            println!("5. unban   skipped");
        }
        Err(error) => return Err(error),
    }

    println!("6. update  metadata (merge)");
    let user = client.send(
        &UpdateUserMetadata::new(id)
            .public_metadata(json!({"plan": "pro"}))
            .private_metadata(json!({"crm_id": 42})),
    )?;
    println!(
        "   public metadata now {}",
        serde_json::Value::Object(user.public_metadata.clone())
    );
    Ok(())
}
