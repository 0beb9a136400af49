#!/usr/bin/env node
/**
 * The "bare" baseline of the chat benchmark: socket.io 4.8.3 (the api's version), websocket
 * transport only, the default in-memory adapter, no authentication, no database, no validation.
 *
 *   chat:subscribe {groupId}               joins room group:<id>, acks {ok, groupId, online}
 *   chat:send {groupId, clientMsgId, body}  acks {ok, message} and emits chat:message to the room
 *
 * The message has the same shape (and about the same size) as Kinship's ChatMessageDto, so the
 * two servers put the same bytes on the wire. The author comes from the handshake's auth
 * ({userId, handle}), unverified. PORT (default 0) and HOST come from the environment; the bound
 * port is printed as "listening <port>" on stdout.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const httpServer = createServer((req, res) => {
  res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'text/plain' });
  res.end(req.url === '/health' ? 'ok' : 'not found');
});
const io = new Server(httpServer, { transports: ['websocket'], serveClient: false });

io.on('connection', (socket) => {
  const auth = socket.handshake.auth ?? {};
  const author = { id: String(auth.userId ?? socket.id), handle: String(auth.handle ?? 'anon') };
  socket.on('chat:subscribe', (payload, ack) => {
    const room = `group:${payload?.groupId}`;
    socket.join(room);
    ack?.({
      ok: true,
      groupId: payload?.groupId,
      online: io.sockets.adapter.rooms.get(room)?.size ?? 0,
    });
  });
  socket.on('chat:send', (payload, ack) => {
    const message = {
      id: randomUUID(),
      groupId: payload.groupId,
      author,
      body: payload.body,
      createdAt: new Date().toISOString(),
      clientMsgId: payload.clientMsgId,
    };
    ack?.({ ok: true, message });
    io.to(`group:${payload.groupId}`).emit('chat:message', message);
  });
});

const shutdown = () => {
  io.close();
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

httpServer.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(`listening ${httpServer.address().port}`);
});
