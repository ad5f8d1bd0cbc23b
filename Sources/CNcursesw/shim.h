#ifndef CITYGRID_CNCURSESW_SHIM_H
#define CITYGRID_CNCURSESW_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>
#include <wchar.h>
#include <signal.h>
#include <termios.h>
#include <execinfo.h>
#include <ncursesw/ncurses.h>

// Everything below is `static inline` because Swift cannot import ncurses'
// function-like macros and its mutable globals cleanly under Swift 6.
// No function here keeps state of its own: a header's statics would be
// duplicated in every object file that uses them.

// MARK: Globals

static inline WINDOW *cg_stdscr(void) { return stdscr; }
static inline WINDOW *cg_curscr(void) { return curscr; }
static inline int cg_colors(void) { return COLORS; }
static inline int cg_color_pairs(void) { return COLOR_PAIRS; }
static inline int cg_lines(void) { return LINES; }
static inline FILE *cg_stdin(void) { return stdin; }
static inline FILE *cg_stdout(void) { return stdout; }
static inline int cg_cols(void) { return COLS; }

// MARK: Macros

static inline void cg_getmaxyx(WINDOW *win, int *rows, int *cols) {
    int y = 0, x = 0;
    if (win != NULL) { getmaxyx(win, y, x); }
    *rows = y;
    *cols = x;
}
static inline int cg_key_f(int n) { return KEY_F(n); }
static inline int cg_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int cg_err(void) { return ERR; }
static inline int cg_ok(void) { return OK; }
static inline int cg_key_code_yes(void) { return KEY_CODE_YES; }

static inline attr_t cg_wa_normal(void) { return WA_NORMAL; }
static inline attr_t cg_wa_bold(void) { return WA_BOLD; }
static inline attr_t cg_wa_dim(void) { return WA_DIM; }
static inline attr_t cg_wa_italic(void) { return WA_ITALIC; }
static inline attr_t cg_wa_underline(void) { return WA_UNDERLINE; }
static inline attr_t cg_wa_reverse(void) { return WA_REVERSE; }
static inline attr_t cg_wa_blink(void) { return WA_BLINK; }

static inline int cg_ccharw_max(void) { return CCHARW_MAX; }

// The C library's idea of a character's width under the current locale,
// which is what ncurses uses to place it.
// (Declared here too: glibc hides it unless _XOPEN_SOURCE is set before its headers.)
extern int wcwidth(wchar_t c);
static inline int cg_wcwidth(wchar_t c) { return wcwidth(c); }

// MARK: Cells

// Writes one cell: up to CCHARW_MAX wide characters (a base plus combining
// marks), attributes and an extended colour pair (may exceed SHRT_MAX).
static inline int cg_put_cell(WINDOW *win, int y, int x, const wchar_t *wch, attr_t attrs, int pair) {
    cchar_t cell;
    int extendedPair = pair;
    if (setcchar(&cell, wch, attrs, 0, &extendedPair) == ERR) { return ERR; }
    return mvwadd_wch(win, y, x, &cell);
}

// Reads one cell back (used by headless tests): its characters into `wch`
// (room for CCHARW_MAX + 1), attributes and colour pair.
static inline int cg_read_cell(WINDOW *win, int y, int x, wchar_t *wch, attr_t *attrs, int *pair) {
    cchar_t cell;
    short shortPair = 0;
    int extendedPair = 0;
    if (mvwin_wch(win, y, x, &cell) == ERR) { return ERR; }
    if (getcchar(&cell, wch, attrs, &shortPair, &extendedPair) == ERR) { return ERR; }
    *pair = extendedPair;
    return OK;
}

// MARK: Crash reports

// The address a fault signal reports (SIGSEGV, SIGBUS: the bad address; SIGILL, SIGFPE: the instruction).
static inline unsigned long cg_siginfo_address(const siginfo_t *info) {
    return info == NULL ? 0 : (unsigned long)info->si_addr;
}

// MARK: Byte counting

// The console's benchmark needs the bytes written to the terminal per frame and
// while idle. ncurses 6.4 writes with write(2) on fileno(output FILE), bypassing
// stdio, so a fopencookie stream (fileno -1) would swallow all output, and a pipe
// would cost ncurses the tty it sets modes on and asks for the window size.
// Linux counts the bytes each thread passes to write(2) (`wchar` in
// /proc/thread-self/io); the difference across a curses call that writes is
// exactly what that call sent to the terminal.
// Returns -1 when the counter cannot be read (not Linux, /proc not mounted).
static inline long long cg_thread_write_bytes(void) {
    int fd = open("/proc/thread-self/io", O_RDONLY | O_CLOEXEC);
    if (fd < 0) { return -1; }
    char buffer[512];
    ssize_t n = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    if (n <= 0) { return -1; }
    buffer[n] = '\0';
    const char *field = strstr(buffer, "wchar:");
    if (field == NULL) { return -1; }
    return strtoll(field + 6, NULL, 10);
}

#endif
