//! Process-wide memory settings, applied once by the binary before it does any work.
//!
//! A burst of large pastes (16 inquiries of 15 MB at once) left the server holding 640 MB a
//! minute later with glibc's default allocator: after the first large buffer is freed, glibc
//! raises its mmap threshold to that size, so every later 15 MB buffer — the request body,
//! its decoded text, SQLite's record for it — is carved from a heap arena, and freed arena
//! memory in the middle of a heap is never returned. With a fixed threshold, buffers of a
//! MiB or more are mapped on their own and unmapped when freed (peak 353 MB, 189 MB a minute
//! later, against 754 / 640 MB before, measured with `tradescout bench --only soak`; mimalloc
//! gave 710 / 353 MB, because SQLite allocates through glibc whatever Rust's allocator is).

/// Allocations of at least this many bytes are mapped on their own and go back to the
/// system when freed; the heap above this much free space at its top is trimmed.
pub const LARGE_ALLOCATION: usize = 1 << 20;

/// Whether the settings took effect on this platform (only glibc has them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    Yes,
    /// The allocator refused a setting (glibc's `mallopt` returned 0).
    Refused,
    /// Not glibc: the platform allocator is left as it is.
    NotApplicable,
}

/// Gives buffers of [`LARGE_ALLOCATION`] or more back to the system when they are freed.
/// Call it first thing in `main`, before other threads start.
pub fn return_large_buffers_to_the_system() -> Applied {
    imp::apply()
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod imp {
    use super::{Applied, LARGE_ALLOCATION};

    pub fn apply() -> Applied {
        let bytes = LARGE_ALLOCATION as libc::c_int;
        // SAFETY: `mallopt` only changes two of glibc's allocator parameters; it takes the
        // allocator's own lock, reads no memory of ours and is documented as safe to call at
        // any time. Setting M_MMAP_THRESHOLD also turns off glibc's dynamic threshold.
        #[allow(unsafe_code)]
        let ok = unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, bytes) == 1
                && libc::mallopt(libc::M_TRIM_THRESHOLD, bytes) == 1
        };
        if ok {
            Applied::Yes
        } else {
            Applied::Refused
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod imp {
    use super::Applied;

    pub fn apply() -> Applied {
        Applied::NotApplicable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_take_on_glibc_and_are_skipped_elsewhere() {
        let applied = return_large_buffers_to_the_system();
        if cfg!(all(target_os = "linux", target_env = "gnu")) {
            assert_eq!(applied, Applied::Yes);
        } else {
            assert_eq!(applied, Applied::NotApplicable);
        }
        // Large buffers still allocate, fill and free normally afterwards.
        let big = vec![7u8; 3 * LARGE_ALLOCATION];
        assert_eq!(
            big.iter().map(|&b| b as usize).sum::<usize>(),
            21 * LARGE_ALLOCATION
        );
    }
}
