import { parseCliOptions, runCli, withAdminAuth } from './cli-env.js';

runCli(async () => {
  const { username } = parseCliOptions({ username: { type: 'string' } });
  if (!username) throw new Error('Usage: npm run admin:unlock -- --username U');
  await withAdminAuth(async (service) => {
    if (!(await service.unlock(username))) throw new Error(`No admin named "${username}".`);
    process.stdout.write(`Unlocked admin "${username}".\n`);
  });
});
