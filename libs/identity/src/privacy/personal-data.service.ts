import { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { Clock } from '@kinship/common';
import { inTransaction } from '@kinship/database';
import { AccountErasureEntity } from '../entities/account-erasure.entity';
import { USER_ACCESS_REVOKED, type UserAccessRevokedEvent } from '../identity.events';
import { IdentityErrorCode, IdentityException } from '../identity.exception';
import { UserRepository } from '../repositories/user.repository';
import { ConfirmationService } from '../services/confirmation.service';
import type { SecondFactor } from '../services/two-factor.service';
import { type PersonalDataSource, PersonalDataRegistry } from './personal-data.registry';

export const PERSONAL_DATA_FORMAT = 'kinship-personal-data/1';
/** Items are joined into chunks of about this size before they are written. */
const CHUNK_CHARS = 64 * 1024;

/**
 * GET /me/data and DELETE /me over every registered source. The export is written while it is
 * read (section after section, page after page), so its size never sits in memory. The erasure
 * runs every source's step in one transaction, then takes the member's live sockets out.
 */
@Injectable()
export class PersonalDataService {
  private readonly logger = new Logger(PersonalDataService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: PersonalDataRegistry,
    private readonly users: UserRepository,
    private readonly confirmation: ConfirmationService,
    private readonly events: EventEmitter2,
    private readonly clock: Clock,
  ) {}

  /** The member's data as one JSON document, streamed. */
  export(userId: string): Readable {
    const stream = Readable.from(this.document(userId), { objectMode: false });
    stream.on('error', (error) =>
      this.logger.error(`personal data export failed: ${(error as Error).message}`),
    );
    return stream;
  }

  private async *document(userId: string): AsyncGenerator<string> {
    yield `{"format":${JSON.stringify(PERSONAL_DATA_FORMAT)},"generatedAt":${JSON.stringify(this.clock.now().toISOString())}`;
    for (const source of this.registry.inExportOrder()) {
      yield `,${JSON.stringify(source.section)}:`;
      yield* section(source, userId);
    }
    yield '}\n';
  }

  /**
   * Erasure (right to be forgotten): confirmed with the password (and a second factor when on),
   * then one transaction over every source. A second erasure of the same account changes nothing.
   */
  async erase(userId: string, confirmation: { password: string } & SecondFactor): Promise<void> {
    await this.confirmation.confirm(userId, confirmation);
    const afterCommit = await inTransaction(this.dataSource, async (manager) => {
      const user = await this.users.lockForUpdate(userId, manager);
      if (!user || user.closedAt) return undefined; // erased already (e.g. a concurrent request)
      if (user.role === 'admin' && (await this.users.countOtherAdmins(user.id, manager)) === 0) {
        throw new IdentityException(
          IdentityErrorCode.LastAdmin,
          'This is the only admin: make another member admin before closing this account.',
        );
      }
      const summary: Record<string, Record<string, number>> = {};
      const after: (() => void | Promise<void>)[] = [];
      for (const source of this.registry.inErasureOrder()) {
        const outcome = await source.erase(manager, userId);
        if (outcome?.counts) summary[source.section] = outcome.counts;
        if (outcome?.afterCommit) after.push(outcome.afterCommit);
      }
      await manager.insert(AccountErasureEntity, { userId, erasedAt: this.clock.now(), summary });
      return after;
    });
    if (!afterCommit) return;
    // Access tokens already fail (the account is closed, its sessions gone); live sockets close.
    this.events.emit(USER_ACCESS_REVOKED, { userId } satisfies UserAccessRevokedEvent);
    for (const step of afterCommit) {
      try {
        await step();
      } catch (error) {
        this.logger.warn(`an after-erasure step failed: ${(error as Error).message}`);
      }
    }
    this.logger.log(`account erased (${afterCommit.length} follow-up steps)`);
  }
}

/** One section's JSON: an object, or an array written in chunks as its items are read. */
async function* section(source: PersonalDataSource, userId: string): AsyncGenerator<string> {
  const data = source.export(userId);
  if (!(Symbol.asyncIterator in data)) {
    yield JSON.stringify((await data) ?? null);
    return;
  }
  let chunk = '[';
  let first = true;
  for await (const item of data) {
    chunk += (first ? '' : ',') + JSON.stringify(item);
    first = false;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}]`;
}
