//! The flags of the commands that talk to one module of a family (`term`, `conform`).

/// `--family ID --device PATH [--baud N] [--timeout-ms MS]`.
#[derive(clap::Args)]
pub struct ModuleArgs {
    /// Family id, e.g. quectel-ec2x.
    #[arg(long)]
    pub family: String,
    /// The module's AT port: a serial device or a PTY (`/dev/ttyUSB2`, `/dev/pts/5`).
    #[arg(long)]
    pub device: String,
    /// Serial speed.
    #[arg(long, default_value_t = 115_200)]
    pub baud: u32,
    /// Caps every wait for the module, in milliseconds (default: the manual's maximum response time).
    #[arg(long)]
    pub timeout_ms: Option<u64>,
}

impl ModuleArgs {
    /// The module's link, its device opened as `atgen ssl` opens it.
    pub fn link<F: atgen_runtime::Family>(
        &self,
    ) -> Result<atgen_runtime::link::Link<Box<dyn atgen_runtime::link::Transport>, F>, super::Failure>
    {
        let transport = super::ssl::open_transport(&self.device, self.baud)?;
        Ok(atgen_runtime::link::Link::new(transport))
    }

    pub fn timeout(&self) -> Option<std::time::Duration> {
        self.timeout_ms.map(std::time::Duration::from_millis)
    }
}
