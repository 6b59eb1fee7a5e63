export { MappedFile } from './mapped-file.js';
export {
  ADDON_PATH,
  type ShmNativeBinding,
  type ShmNativeStatus,
  type ShmSegmentUse,
  shmMapsByDefault,
  shmNative,
  shmNativeStatus,
} from './native.js';
export { nativeXxh32 } from './xxh32.js';
