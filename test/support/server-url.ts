/** The MySQL/MariaDB server tests create their databases on; TEST_DATABASE_SERVER_URL overrides. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_SERVER_URL ?? 'mysql://root@127.0.0.1:3306/';
}
