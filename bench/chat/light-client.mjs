/**
 * A minimal socket.io client (Engine.IO 4 over a plain websocket, socket.io protocol 5) for the
 * benchmark's receivers: it connects with an auth payload, answers pings, sends events with
 * acknowledgements, and on every incoming chat:message records only what the benchmark needs
 * (arrival time and clientMsgId) without JSON-parsing the packet. One process can then hold
 * 1,000 members of a room on this 2-vCPU machine while leaving most of the CPU to the server.
 * The server cannot tell it from socket.io-client (same handshake, same packets); senders use
 * socket.io-client itself.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const MESSAGE_PREFIX = Buffer.from('42["chat:message"');
const CLIENT_MSG_ID = Buffer.from('"clientMsgId":"');

export class LightClient {
  /** Called with (clientMsgId, arrivalMs) for every chat:message. */
  onMessage = null;
  received = 0;
  otherEvents = 0;
  #ws;
  #nextAck = 0;
  #acks = new Map();

  /** Resolves once the socket.io CONNECT succeeded; rejects on a refusal. */
  static connect(baseUrl, auth, timeoutMs = 20_000) {
    const client = new LightClient();
    return client.#open(baseUrl, auth, timeoutMs).then(() => client);
  }

  #open(baseUrl, auth, timeoutMs) {
    const url = `${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      this.#ws = ws;
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error('connect timeout'));
      }, timeoutMs);
      let connected = false;
      ws.on('error', (e) => {
        clearTimeout(timer);
        if (!connected) reject(e);
      });
      ws.on('close', () => {
        for (const [, settle] of this.#acks) settle(undefined, new Error('closed'));
        this.#acks.clear();
      });
      ws.on('message', (data) => {
        const c0 = data[0];
        if (c0 === 0x34 /* 4: socket.io packet */) {
          const c1 = data[1];
          if (c1 === 0x32 /* 2: EVENT */) {
            if (data.indexOf(MESSAGE_PREFIX) === 0) {
              const at = performance.now();
              this.received++;
              if (this.onMessage) {
                const i = data.indexOf(CLIENT_MSG_ID);
                if (i > 0) this.onMessage(data.toString('latin1', i + 15, i + 51), at);
              }
            } else this.otherEvents++;
          } else if (c1 === 0x33 /* 3: ACK */) {
            const text = data.toString('utf8');
            const bracket = text.indexOf('[');
            const id = Number(text.slice(2, bracket));
            const settle = this.#acks.get(id);
            if (settle) {
              this.#acks.delete(id);
              settle(JSON.parse(text.slice(bracket))[0]);
            }
          } else if (c1 === 0x30 /* 0: CONNECT ok */) {
            connected = true;
            clearTimeout(timer);
            resolve();
          } else if (c1 === 0x34 /* 4: CONNECT_ERROR */) {
            clearTimeout(timer);
            ws.close();
            reject(new Error(`refused: ${data.toString('utf8').slice(2)}`));
          }
        } else if (c0 === 0x32 /* 2: engine.io ping */) {
          ws.send('3');
        } else if (c0 === 0x30 /* 0: engine.io open */) {
          ws.send(`40${JSON.stringify(auth ?? {})}`);
        }
      });
    });
  }

  /** Emits an event with an acknowledgement; resolves with the answer. */
  emitWithAck(event, payload, timeoutMs = 20_000) {
    const id = this.#nextAck++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#acks.delete(id);
        reject(new Error(`no ack for ${event}`));
      }, timeoutMs);
      this.#acks.set(id, (answer, error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(answer);
      });
      this.#ws.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  close() {
    this.#ws.close();
  }
}
