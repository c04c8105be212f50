"""uvicorn's supervisor of server processes, each process listening on a socket of its own.

`uvicorn.supervisors.Multiprocess` hands every process the same sockets. Given one socket per
process (bound with SO_REUSEPORT: `server_processes.listening_sockets`), `OneSocketEach`
hands the i-th process the i-th socket, at the start and when it replaces a process that
died or restarts them all (SIGHUP). The number of processes is that of the sockets: SIGTTIN
and SIGTTOU, which would change it, are refused. Imported only when serving: it loads uvicorn.
"""

from __future__ import annotations

import logging
from socket import socket

from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors.multiprocess import Multiprocess, Process

log = logging.getLogger("uvicorn.error")


class OneSocketEach(Multiprocess):
    def __init__(self, config: Config, sockets: list[socket]) -> None:
        super().__init__(config, sockets=[])
        self.own = sockets  # the i-th process's, by index
        self.processes_num = len(sockets)

    def start_on(self, index: int) -> Process:
        process = Process(self.config, [self.own[index]])
        process.start()
        return process

    def init_processes(self) -> None:
        for index in range(self.processes_num):
            self.processes.append(self.start_on(index))

    def keep_subprocess_alive(self) -> None:
        # As Multiprocess's, each replacement on the socket of the process it replaces.
        if self.should_exit.is_set():
            return
        for index, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                log.error(f"Child process [{process.pid}] failed to start, stopping the parent process.")
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            log.info(f"Child process [{process.pid}] died")
            self.processes[index] = self.start_on(index)

    def restart_all(self) -> None:
        # As Multiprocess's: each replacement ready before the process it replaces stops.
        for index, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self.start_on(index)
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    log.error(f"New child process [{new.pid}] was not ready in time; "
                              f"keeping worker [{old.pid}] and aborting the restart.")
                return
            old.terminate()
            old.join()
            self.processes[index] = new

    def handle_ttin(self) -> None:
        log.info("Received SIGTTIN: the number of processes is fixed (onhand serve --processes).")

    def handle_ttou(self) -> None:
        log.info("Received SIGTTOU: the number of processes is fixed (onhand serve --processes).")
