export * from './identity.module';
export * from './identity.config';
export * from './identity.exception';
export * from './roles';
export * from './guards/auth.decorators';
export { bearerToken } from './guards/access.guard';
export { LimitedRead } from './guards/read-rate-limit.guard';
export { TokenService } from './services/token.service';
export { UserService } from './services/user.service';
export { PublicUserDto } from './dto/auth.dto';
export { UserEntity } from './entities/user.entity';
export * from './identity.events';
export {
  PersonalDataRegistry,
  type PersonalDataSource,
  type ErasureOutcome,
  streamPages,
  PERSONAL_DATA_PAGE,
} from './privacy/personal-data.registry';
export { DELETED_MEMBER_HANDLE } from './repositories/user.repository';
