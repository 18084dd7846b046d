//! Running a program under `strace -f` and reading back its system calls,
//! for the tests whose lesson is the order of the calls.

use std::path::Path;
use std::process::Command;

/// One system call as strace wrote it: `1234 bind(3, {...}, 16) = 0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syscall {
    pub pid: u32,
    /// The call's name, normalised: `accept4` is reported as `accept`.
    pub name: String,
    /// The text between the parentheses.
    pub args: String,
    /// The return value as written (`3`, `0`, `-1 EINTR (...)`).
    pub result: String,
}

impl Syscall {
    /// The first argument, which for the socket calls is the fd.
    pub fn fd_arg(&self) -> Option<i32> {
        self.args.split(',').next()?.trim().parse().ok()
    }

    /// The return value as a number, when it is one.
    pub fn result_value(&self) -> Option<i64> {
        self.result.split_whitespace().next()?.parse().ok()
    }
}

/// A command that runs `program args` under `strace -f`, tracing only
/// `calls`, writing the trace to `trace_file`.
pub fn command(
    trace_file: &Path,
    calls: &[&str],
    program: &str,
    args: &[&str],
) -> Command {
    let mut command = Command::new("strace");
    command
        .args(["-f", "-qq", "-o"])
        .arg(trace_file)
        .arg("-e")
        .arg(format!("trace={}", calls.join(",")))
        .arg(program)
        .args(args);
    command
}

/// Parses a trace written by [`command`]. Calls split by `-f`
/// (`<unfinished ...>` / `<... resumed>`) are joined back together.
pub fn parse(trace: &str) -> Vec<Syscall> {
    let mut calls = Vec::new();
    let mut pending: Vec<(u32, String)> = Vec::new();
    for line in trace.lines() {
        let Some((pid, rest)) = line.split_once(' ') else {
            continue;
        };
        let Ok(pid) = pid.trim().parse::<u32>() else {
            continue;
        };
        let rest = rest.trim_start();
        let text = if let Some(head) = rest.strip_suffix(" <unfinished ...>") {
            pending.push((pid, head.to_string()));
            continue;
        } else if let Some(tail) = rest.strip_prefix("<... ") {
            // "<... accept4 resumed>...) = 4"
            let Some(pos) = pending.iter().position(|(p, _)| *p == pid) else {
                continue;
            };
            let (_, head) = pending.remove(pos);
            let tail = tail.split_once(" resumed>").map_or("", |(_, t)| t);
            format!("{head}{tail}")
        } else {
            rest.to_string()
        };
        if let Some(call) = parse_line(pid, &text) {
            calls.push(call);
        }
    }
    calls
}

fn parse_line(pid: u32, text: &str) -> Option<Syscall> {
    if text.starts_with("+++") || text.starts_with("---") {
        return None; // exits and signals
    }
    let open = text.find('(')?;
    // strace pads the result into a column: "listen(3, 5)       = 0".
    let equals = text.rfind(" = ")?;
    let close = text[..equals].rfind(')')?;
    let name = match &text[..open] {
        "accept4" => "accept",
        other => other,
    };
    Some(Syscall {
        pid,
        name: name.to_string(),
        args: text[open + 1..close].to_string(),
        result: text[equals + 3..].to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_unfinished_calls_and_normalises_accept4() {
        let trace = "\
100 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3
100 listen(3, 5)                      = 0
100 accept4(3, <unfinished ...>
101 write(1, \"x\", 1) = 1
100 <... accept4 resumed>{sa_family=AF_INET, sin_port=htons(5), \
sin_addr=inet_addr(\"127.0.0.1\")}, [16], SOCK_CLOEXEC) = 4
100 +++ exited with 0 +++
";
        let calls = parse(trace);
        let names: Vec<&str> = calls.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["socket", "listen", "write", "accept"]);
        assert_eq!(calls[1].result, "0");
        assert_eq!(calls[3].result_value(), Some(4));
        assert_eq!(calls[3].fd_arg(), Some(3));
        assert_eq!(calls[2].pid, 101);
    }
}
