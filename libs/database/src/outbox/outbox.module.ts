import { Module } from '@nestjs/common';
import { OutboxService } from './outbox.service';

/** The transactional outbox other libs import to append events and consumers to claim them. */
@Module({ providers: [OutboxService], exports: [OutboxService] })
export class OutboxModule {}
