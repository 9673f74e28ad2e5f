import { checkpointHead } from '../../chain/checkpoints';
import { catchUpChain } from '../catch-up';
import { withConnection } from '../connection';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Io } from '../io';

/** `checkpoint`: sign the chain's head now, and print what an auditor should keep outside the system. */
export async function checkpointCommand(options: { readonly catchUp?: boolean }, io: Io): Promise<ExitCode> {
  return withConnection(io.env, async (connection) => {
    const signer = connection.signer();
    if (options.catchUp) await catchUpChain(connection);
    const checkpoint = await checkpointHead(connection.dataSource, signer);
    if (!checkpoint) {
      io.err('Nothing to sign: the chain is empty (is the audit service running? try --catch-up)\n');
      return EXIT.problem;
    }
    io.out(
      [
        `Checkpoint at sequence ${checkpoint.sequence} (${checkpoint.kind}, signed ${checkpoint.signedAt.toISOString()})`,
        `hash:      ${checkpoint.hash}`,
        `signature: ${checkpoint.signature}`,
        `key id:    ${checkpoint.keyId}`,
        `signed message: koppelstuk-chain:${checkpoint.sequence}:${checkpoint.hash}`,
        checkpoint.publicKey.trimEnd(),
        '',
      ].join('\n'),
    );
    return EXIT.ok;
  });
}
