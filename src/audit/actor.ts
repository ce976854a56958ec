/** Who did something and from where; carried from the request into every audited change. */
export interface Actor {
  adminId: number | null;
  adminUsername: string | null;
  requestId: string | null;
  clientIp: string | null;
}
