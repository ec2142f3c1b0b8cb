import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

interface TrackedSocket {
  /** Requests on this connection not yet answered (more than one only when a client pipelines). */
  busy: number;
  response: ServerResponse | undefined;
  idleTimer: NodeJS.Timeout | undefined;
}

export interface InFlight {
  connections: number;
  requests: number;
}

/**
 * Stops an HTTP server the way a deploy needs: no new connections, every request already received
 * answered, and keep-alive connections closed without cutting a request off.
 *
 * Node's own server.close() destroys idle keep-alive connections at once. A client that has just
 * sent its next request on one of them loses it without an answer, and under load that is always
 * someone. So instead: the listener stops; a busy connection's response carries "Connection: close"
 * and the connection ends after it; an idle connection gets a short grace period, in which a
 * request that was already on its way is answered (with "Connection: close") before it is closed.
 */
export class ConnectionDrain {
  private readonly sockets = new Map<Socket, TrackedSocket>();
  private draining = false;
  private drained: (() => void) | undefined;

  constructor(
    private readonly server: Server,
    private readonly idleGraceMs = 250,
  ) {
    server.on('connection', (socket: Socket) => {
      this.sockets.set(socket, { busy: 0, response: undefined, idleTimer: undefined });
      socket.once('close', () => {
        const tracked = this.sockets.get(socket);
        if (tracked?.idleTimer) clearTimeout(tracked.idleTimer);
        this.sockets.delete(socket);
        this.checkDrained();
      });
    });
    // First in line, so the header is set before any route can answer.
    server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => this.onRequest(request, response));
  }

  inFlight(): InFlight {
    let requests = 0;
    for (const tracked of this.sockets.values()) requests += tracked.busy;
    return { connections: this.sockets.size, requests };
  }

  /** Resolves once every connection has closed, each after its last answer. */
  drain(): Promise<void> {
    if (this.draining) return this.whenDrained();
    this.draining = true;
    // net.Server's close stops the listener but, unlike http.Server's, leaves idle connections alone.
    if (this.server.listening) NetServer.prototype.close.call(this.server);
    for (const [socket, tracked] of this.sockets) {
      if (tracked.busy > 0) this.closeAfterResponse(tracked.response);
      else this.closeWhenStillIdle(socket, tracked);
    }
    return this.whenDrained();
  }

  private whenDrained(): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.drained;
      this.drained = () => {
        previous?.();
        resolve();
      };
      this.checkDrained();
    });
  }

  private checkDrained(): void {
    if (!this.draining || this.sockets.size > 0 || !this.drained) return;
    const done = this.drained;
    this.drained = undefined;
    done();
  }

  private onRequest(request: IncomingMessage, response: ServerResponse): void {
    const socket = request.socket;
    const tracked = this.sockets.get(socket);
    if (!tracked) return;
    tracked.busy += 1;
    tracked.response = response;
    if (tracked.idleTimer) {
      clearTimeout(tracked.idleTimer);
      tracked.idleTimer = undefined;
    }
    if (this.draining) this.closeAfterResponse(response);
    response.once('close', () => {
      tracked.busy -= 1;
      if (tracked.response === response) tracked.response = undefined;
      if (!this.draining || tracked.busy > 0 || socket.destroyed) return;
      // "Connection: close" makes Node end the connection itself; a response whose headers went
      // out before the stop began could not carry it, so that connection is ended here.
      if (!response.hasHeader('connection') || String(response.getHeader('connection')).toLowerCase() !== 'close') socket.end();
    });
  }

  private closeAfterResponse(response: ServerResponse | undefined): void {
    if (response && !response.headersSent) response.setHeader('connection', 'close');
  }

  private closeWhenStillIdle(socket: Socket, tracked: TrackedSocket): void {
    tracked.idleTimer = setTimeout(() => {
      if (tracked.busy === 0) socket.destroy();
    }, this.idleGraceMs);
  }
}
