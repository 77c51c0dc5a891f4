//! The simulator (`atgen_runtime::sim`) for this build's families, by id.

pub use atgen_runtime::sim::*;

/// Starts simulators of this build's families by id.
#[derive(Debug, Clone, Copy)]
pub struct Simulator;

impl Simulator {
    /// The family ids this build can simulate (every family of [`crate::FAMILIES`]).
    pub fn families() -> Vec<&'static str> {
        crate::FAMILIES.iter().map(|f| f.id).collect()
    }

    fn desc(id: &str) -> Result<&'static atgen_runtime::desc::FamilyDesc, SimError> {
        crate::FAMILIES
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.desc)
            .ok_or_else(|| SimError::UnknownFamily {
                id: id.to_string(),
                known: Self::families(),
            })
    }

    /// Starts a simulator of `family` with an in-process host side
    /// ([`SimHandle::take_host`]).
    pub fn spawn(family: &str, options: Options) -> Result<SimHandle, SimError> {
        atgen_runtime::sim::Simulator::spawn(Self::desc(family)?, options)
    }

    /// Starts a simulator of `family` on a new PTY; a host opens
    /// [`SimHandle::pty_path`] like a serial device.
    #[cfg(unix)]
    pub fn spawn_pty(family: &str, options: Options) -> Result<SimHandle, SimError> {
        atgen_runtime::sim::Simulator::spawn_pty(Self::desc(family)?, options)
    }
}
