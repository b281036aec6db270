//! A ready test instance: the Users stand-in on 127.0.0.1 serving the JWKS of the kit's test
//! keys, a secret key that authorizes it, and a client configuration pointing at it.

use std::io;

use clerk_backend_core::Config;

use crate::server::Server;
use crate::tokens::{TestKey, jwks};
use crate::users::UsersStandIn;

/// A running stand-in instance: [`UsersStandIn`] served on 127.0.0.1, answering
/// `GET /v1/jwks` with its test keys' JWKS. Dropping it stops the server.
///
/// ```
/// use clerk_backend_testkit::TestInstance;
/// use clerk_backend_testkit::tokens::SessionToken;
///
/// let instance = TestInstance::start()?;
/// let config = instance.config()?; // the stand-in's URL and secret key
/// let token = SessionToken::new("user_1").sign(instance.key())?;
/// // A client built from `config` fetches the JWKS from the stand-in and signs `token` in.
/// # let _ = (config, token);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// `Debug` leaves the secret keys out.
pub struct TestInstance {
    standin: UsersStandIn,
    server: Server,
    secret_key: String,
    keys: Vec<TestKey>,
}

/// Settings of a [`TestInstance`]; start from [`TestInstance::builder`].
#[derive(Clone)]
#[must_use]
pub struct TestInstanceBuilder {
    secret_key: Option<String>,
    machine_secret_key: Option<String>,
    keys: Vec<TestKey>,
}

impl TestInstance {
    /// Starts an instance with a fresh secret key (`sk_test_…`) and [`TestKey::a`] in its JWKS.
    ///
    /// # Errors
    /// When the server cannot start (see [`Server::start`]).
    pub fn start() -> io::Result<Self> {
        Self::builder().start()
    }

    /// Settings to adjust before starting.
    pub fn builder() -> TestInstanceBuilder {
        TestInstanceBuilder {
            secret_key: None,
            machine_secret_key: None,
            keys: Vec::new(),
        }
    }

    /// The stand-in, to add users, register machine tokens, change the JWKS or count calls.
    pub fn standin(&self) -> &UsersStandIn {
        &self.standin
    }

    /// The server (its URL, its request count).
    pub fn server(&self) -> &Server {
        &self.server
    }

    /// The base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// The secret key the stand-in accepts.
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The first test key of the JWKS: the one to sign tokens with.
    pub fn key(&self) -> &TestKey {
        self.keys.first().unwrap_or_else(|| default_key())
    }

    /// Every test key of the JWKS, in order.
    pub fn keys(&self) -> &[TestKey] {
        &self.keys
    }

    /// A client configuration for the stand-in: its secret key and URL.
    ///
    /// # Errors
    /// Core's [`Error::Config`](clerk_backend_core::Error::Config) when the secret key set
    /// with [`TestInstanceBuilder::secret_key`] is not an `sk_…` key.
    pub fn config(&self) -> Result<Config, clerk_backend_core::Error> {
        Config::new(&self.secret_key)?.with_base_url(&self.url())
    }
}

impl std::fmt::Debug for TestInstance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestInstance")
            .field("url", &self.url())
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for TestInstanceBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestInstanceBuilder")
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

fn default_key() -> &'static TestKey {
    static KEY: std::sync::OnceLock<TestKey> = std::sync::OnceLock::new();
    KEY.get_or_init(TestKey::a)
}

impl TestInstanceBuilder {
    /// The secret key the stand-in accepts (default: a fresh `sk_test_…`).
    pub fn secret_key(mut self, secret_key: impl Into<String>) -> Self {
        self.secret_key = Some(secret_key.into());
        self
    }

    /// A machine secret key (`ak_…`) the stand-in accepts on the `/v1/m2m_tokens` paths.
    pub fn machine_secret_key(mut self, key: impl Into<String>) -> Self {
        self.machine_secret_key = Some(key.into());
        self
    }

    /// Adds a key to the JWKS (call once per key; the first signs by default). Without any,
    /// the JWKS holds [`TestKey::a`].
    pub fn key(mut self, key: TestKey) -> Self {
        self.keys.push(key);
        self
    }

    /// Starts the stand-in.
    ///
    /// # Errors
    /// When the server cannot start (see [`Server::start`]).
    pub fn start(self) -> io::Result<TestInstance> {
        let secret_key = self
            .secret_key
            .unwrap_or_else(|| crate::ids::base62("sk_test_", 32));
        let keys = if self.keys.is_empty() {
            vec![TestKey::a()]
        } else {
            self.keys
        };
        let standin = UsersStandIn::new(&secret_key);
        standin.set_jwks(jwks(&keys.iter().collect::<Vec<_>>()));
        if let Some(machine) = &self.machine_secret_key {
            standin.set_machine_secret_key(machine);
        }
        let server = standin.serve()?;
        Ok(TestInstance {
            standin,
            server,
            secret_key,
            keys,
        })
    }
}
