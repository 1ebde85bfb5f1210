package dev.thaw.run;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * A Thaw process as {@link ClusterConfig#processName} names it for the other nodes, {@code host-pid} in lower case:
 * which machine, which process, and (for a process of this machine) whether it still runs.
 */
record ProcessName(String name) {
    /** The process id; empty when the name does not end in {@code -PID}. */
    OptionalLong pid() {
        int dash = name.lastIndexOf('-');
        String tail = dash < 0 ? "" : name.substring(dash + 1);
        return !tail.isEmpty() && tail.chars().allMatch(Character::isDigit) && tail.length() < 19
                ? OptionalLong.of(Long.parseLong(tail)) : OptionalLong.empty();
    }

    /** The host name; the whole name when it carries no process id. */
    String host() {
        return pid().isPresent() ? name.substring(0, name.lastIndexOf('-')) : name;
    }

    /** True when the name is that of a process of this machine. */
    boolean onThisMachine() {
        return pid().isPresent() && host().equals(ClusterConfig.host().toLowerCase(Locale.ROOT));
    }

    /** True when the name is that of a process of this machine that has exited. */
    boolean deadHere() {
        return onThisMachine() && ProcessHandle.of(pid().getAsLong()).map(p -> !p.isAlive()).orElse(true);
    }

    /** For people: {@code pid 4242 on this machine (box)}, {@code pid 4242 on host gpu-1}, or the bare name. */
    String describe() {
        if (pid().isEmpty()) {
            return "process '" + name + "'";
        }
        return "pid " + pid().getAsLong() + (onThisMachine() ? " on this machine (" + host() + ")" : " on host " + host());
    }
}
