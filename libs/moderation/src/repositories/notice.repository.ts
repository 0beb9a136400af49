import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { type Page, type PageQueryDto, paginate } from '@kinship/common';
import { NoticeEntity } from '../entities/notice.entity';

/** The only place that reads or writes members' notices. */
@Injectable()
export class NoticeRepository {
  constructor(@InjectRepository(NoticeEntity) private readonly notices: Repository<NoticeEntity>) {}

  insert(data: Partial<NoticeEntity>, manager: EntityManager): Promise<NoticeEntity> {
    const repo = manager.getRepository(NoticeEntity);
    return repo.save(repo.create(data));
  }

  /** A member's notices, newest first. */
  list(userId: string, query: PageQueryDto): Promise<Page<NoticeEntity>> {
    const qb = this.notices.createQueryBuilder('n').where('n.user_id = :userId', { userId });
    return paginate(
      qb,
      query,
      [
        {
          expression: 'n.created_at',
          cast: 'timestamptz',
          toCursor: (n: NoticeEntity) => n.createdAt.toISOString(),
        },
        { expression: 'n.id', cast: 'uuid', toCursor: (n: NoticeEntity) => n.id },
      ],
      'DESC',
    );
  }
}
