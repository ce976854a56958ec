import { text } from 'node:stream/consumers';
import { parseCliOptions, runCli, withAdminAuth } from './cli-env.js';

const USAGE =
  'Usage: npm run admin:create -- --username U --email E [--password P]\n' +
  '       (without --password the password is read from standard input)';

runCli(async () => {
  const options = parseCliOptions({
    username: { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
  });
  const { username, email } = options;
  if (!username || !email) throw new Error(USAGE);
  const password = options.password ?? (await text(process.stdin)).replace(/\r?\n$/, '');
  await withAdminAuth(async (service) => {
    const { admin, errors } = await service.createAdmin({ username, email, password });
    if (!admin) throw new Error(errors.map((e) => `${e.field}: ${e.message}`).join('\n'));
    process.stdout.write(`Created admin "${admin.username}" (id ${admin.id}).\n`);
  });
});
