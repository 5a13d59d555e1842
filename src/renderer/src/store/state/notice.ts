export interface Notice {
  kind: 'error' | 'info';
  message: string;
  code?: string;
}

export interface NoticeSlice {
  notice?: Notice;
  noticeShown(notice: Notice): void;
  noticeDismissed(): void;
}
