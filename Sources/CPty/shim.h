#ifndef CITYGRID_CPTY_SHIM_H
#define CITYGRID_CPTY_SHIM_H
// What serve-ssh needs to run a console on a pseudo-terminal, which Swift's Glibc module leaves out
// (posix_openpt & co need _XOPEN_SOURCE; POSIX_SPAWN_SETSID and closefrom need _GNU_SOURCE). Declared here rather
// than by defining those macros, which would give the system headers other definitions than Swift's Glibc module has.
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

extern int posix_openpt(int flags);
extern int grantpt(int fd);
extern int unlockpt(int fd);
extern int ptsname_r(int fd, char *buf, size_t buflen);
extern int pipe2(int fds[2], int flags);
#ifdef __linux__
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
#endif
#ifndef POSIX_SPAWN_SETSID
#define POSIX_SPAWN_SETSID 0x80
#endif

/// Opens a new pseudo-terminal's master (close-on-exec, not our controlling terminal), sized `cols` x `rows`;
/// writes its slave's path into `name`. Returns the master's descriptor, or -1 with errno set.
static inline int cg_pty_open(char *name, size_t length, unsigned short cols, unsigned short rows) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return -1;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0 || ptsname_r(fd, name, length) != 0) {
        int saved = errno; close(fd); errno = saved; return -1;
    }
    struct winsize size = { .ws_row = rows, .ws_col = cols, .ws_xpixel = 0, .ws_ypixel = 0 };
    (void)ioctl(fd, TIOCSWINSZ, &size);
    return fd;
}

/// Tells the pseudo-terminal (and so its foreground process group, by SIGWINCH) its new size.
static inline int cg_pty_resize(int fd, unsigned short cols, unsigned short rows) {
    struct winsize size = { .ws_row = rows, .ws_col = cols, .ws_xpixel = 0, .ws_ypixel = 0 };
    return ioctl(fd, TIOCSWINSZ, &size);
}

/// posix_spawn's flag to start the child in a new session (it then takes the first terminal it opens as its own).
static inline short cg_spawn_setsid_flag(void) { return POSIX_SPAWN_SETSID; }

/// Closes every descriptor from `low` on in the child.
static inline int cg_spawn_closefrom(posix_spawn_file_actions_t *actions, int low) {
#ifdef __linux__
    return posix_spawn_file_actions_addclosefrom_np(actions, low);
#else
    (void)actions; (void)low; return ENOSYS;
#endif
}

#endif
