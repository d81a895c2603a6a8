import Glibc
import PurewheelCommands

// With TZ unset, glibc stats /etc/localtime again on every `mktime`, and libzip calls `mktime` twice per entry when it opens an
// archive (central and local header times): two system calls per entry. Naming the same default zone lets glibc keep the
// one it loaded; an explicit TZ is left alone. Set here, before any thread starts.
setenv("TZ", ":/etc/localtime", 0)

Purewheel.runAsProcess(Array(CommandLine.arguments.dropFirst()))
