/**
 * `npm run zalo:login`: logs the union's Zalo account in by QR code and saves the session (cookie, imei,
 * user agent) to ZALO_PERSONAL_CREDENTIALS_FILE, readable by its owner only. The server then logs in with
 * that file, without a phone at hand.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { saveCredentials } from '../src/channels/zalo-personal/credentials.js';
import { loginWithQr } from '../src/channels/zalo-personal/zca-client.js';
import { loadConfig } from '../src/platform/config.js';

const config = loadConfig();
const file = path.resolve(config.ZALO_PERSONAL_CREDENTIALS_FILE);
const qrPath = path.join(path.dirname(file), 'qr.png');

console.log('Đăng nhập Zalo cá nhân cho Trợ lý Công đoàn');
console.log(
  'Lưu ý: nên dùng một tài khoản Zalo riêng cho trợ lý, không dùng tài khoản cá nhân của cán bộ.\n',
);
console.log('Đang tạo mã QR…');

try {
  // The library writes the QR image itself and needs the folder to exist.
  await mkdir(path.dirname(qrPath), { recursive: true, mode: 0o700 });
  const { credentials, ownId } = await loginWithQr({
    qrPath,
    userAgent: config.ZALO_PERSONAL_USER_AGENT?.trim() || undefined,
    onEvent(event) {
      switch (event.type) {
        case 'qr':
          console.log(`Mã QR đã lưu ở: ${event.path}`);
          console.log(
            'Mở ảnh đó, rồi trên điện thoại vào Zalo → biểu tượng mã QR → quét. Mã hết hạn sau 100 giây.',
          );
          break;
        case 'expired':
          console.log(
            event.retrying
              ? 'Mã QR đã hết hạn, đang tạo mã mới…'
              : 'Mã QR đã hết hạn. Chạy lại lệnh khi sẵn sàng.',
          );
          break;
        case 'scanned':
          console.log(`Đã quét bởi "${event.name}". Hãy bấm xác nhận đăng nhập trên điện thoại.`);
          break;
        case 'declined':
          console.log('Đăng nhập đã bị từ chối trên điện thoại.');
          break;
      }
    },
  });
  await saveCredentials(file, credentials);
  await rm(qrPath, { force: true });

  console.log(`\nĐăng nhập thành công (mã tài khoản ${ownId}).`);
  console.log(`Phiên đăng nhập đã lưu vào ${file} (chỉ chủ sở hữu được đọc, quyền 600).`);
  console.log('\nBước tiếp theo:');
  console.log('  1. Trong .env đặt ZALO_PERSONAL_ENABLED=true.');
  console.log('  2. Khởi động lại máy chủ: npm start. Nhật ký sẽ ghi "zalo-personal connected".');
  console.log(
    '  3. Nhắn thử cho tài khoản này từ một tài khoản Zalo khác; trong nhóm, gọi "trợ lý ơi, …" hoặc @nhắc tên.',
  );
  console.log('  4. Giữ kín tệp phiên như mật khẩu: không đưa vào git, không gửi qua chat.');
  console.log(
    '  5. Không mở Zalo Web bằng tài khoản này khi máy chủ đang chạy (Zalo chỉ cho một phiên web).',
  );
  console.log('  6. Khi nhật ký báo không đăng nhập được (phiên hết hạn), chạy lại: npm run zalo:login.');
  if (config.ZALO_PERSONAL_COOKIE || config.ZALO_PERSONAL_IMEI)
    console.log(
      '\nChú ý: ZALO_PERSONAL_COOKIE/ZALO_PERSONAL_IMEI đang được đặt và sẽ được dùng thay cho tệp vừa lưu; hãy xoá chúng.',
    );
  process.exit(0);
} catch (err) {
  await rm(qrPath, { force: true });
  console.error(`\nĐăng nhập không thành công: ${err instanceof Error ? err.message : String(err)}`);
  console.error('Kiểm tra kết nối mạng rồi chạy lại: npm run zalo:login');
  process.exit(1);
}
