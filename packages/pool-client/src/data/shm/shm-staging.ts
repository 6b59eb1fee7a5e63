import { shmMapsByDefault } from '@oicf/shm-native';
import { type Extent, ExtentAllocator } from './extent-allocator.js';
import { OwnedSegment, SEGMENT_HEADER_BYTES } from './shm-segment.js';

/**
 * A sender's own segment for bytes it pushes to same-host receivers (a prefill worker's KV handoffs):
 * the sender writes a block into an extent, sends the extent in its frame, and frees it once the receiver
 * has answered (acknowledged or refused) or the transfer failed. Created on first use; its memory returns
 * to the kernel when this process and every receiver holding it open have closed it (shm-segment.ts).
 */
export class ShmStaging {
  private segment: OwnedSegment | undefined;
  private alloc: ExtentAllocator | undefined;
  private failed: string | undefined;

  constructor(private readonly options: { readonly dir: string; readonly dataBytes: number }) {}

  /** The segment (created now if needed); undefined when it cannot be created (no /dev/shm). */
  owned(): OwnedSegment | undefined {
    if (this.segment === undefined && this.failed === undefined) {
      try {
        // Mapped whenever the addon loaded (handoff staging's default, @oicf/shm-native shmMapsByDefault).
        this.segment = OwnedSegment.create(this.options.dir, this.options.dataBytes, 'staging', {
          map: shmMapsByDefault('staging'),
        });
        this.alloc = new ExtentAllocator(SEGMENT_HEADER_BYTES, this.options.dataBytes);
      } catch (err) {
        this.failed = String(err);
      }
    }
    return this.segment;
  }

  /** Bytes of extents handed out and not freed. */
  get usedBytes(): number {
    return this.alloc?.usedBytes ?? 0;
  }

  /** Copies `bytes` into a fresh extent; undefined when the segment is full (send them inline). */
  put(bytes: Uint8Array): Extent | undefined {
    const segment = this.owned();
    const extent = this.alloc?.allocate(bytes.byteLength);
    if (segment === undefined || extent === undefined) return undefined;
    try {
      segment.write(bytes, extent.offset);
    } catch {
      // The tmpfs is full (ENOSPC: other segments took it): these bytes go inline instead.
      this.alloc?.release(extent);
      return undefined;
    }
    return extent;
  }

  free(extent: Extent): void {
    this.alloc?.release(extent);
  }

  close(): void {
    this.segment?.close();
    this.segment = undefined;
  }
}
