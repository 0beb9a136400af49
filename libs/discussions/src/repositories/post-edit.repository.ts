import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { type Page, type PageQueryDto, paginate } from '@kinship/common';
import { PostEditEntity } from '../entities/post-edit.entity';

/** The edit history of posts: appended to on every edit, never changed. */
@Injectable()
export class PostEditRepository {
  constructor(
    @InjectRepository(PostEditEntity) private readonly edits: Repository<PostEditEntity>,
  ) {}

  async append(data: Omit<PostEditEntity, 'id'>, manager: EntityManager): Promise<void> {
    await manager.insert(PostEditEntity, data);
  }

  /** A post's edits, oldest first. */
  list(postId: string, query: PageQueryDto): Promise<Page<PostEditEntity>> {
    const qb = this.edits.createQueryBuilder('e').where('e.post_id = :postId', { postId });
    return paginate(
      qb,
      query,
      [
        {
          expression: 'e.edited_at',
          cast: 'timestamptz',
          toCursor: (e: PostEditEntity) => e.editedAt.toISOString(),
        },
        { expression: 'e.id', cast: 'bigint', toCursor: (e: PostEditEntity) => e.id },
      ],
      'ASC',
    );
  }
}
