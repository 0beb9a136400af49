import { Injectable } from '@nestjs/common';
import { type PublicUserDto, UserService } from '@kinship/identity';

export type Authors = (id: string) => PublicUserDto;

/** How authors appear on posts and threads: id and handle, fetched once per page. */
@Injectable()
export class AuthorDirectory {
  constructor(private readonly users: UserService) {}

  async for(ids: string[]): Promise<Authors> {
    const profiles = ids.length ? await this.users.publicProfiles(ids) : new Map();
    return (id) => profiles.get(id) ?? { id, handle: '' };
  }
}
